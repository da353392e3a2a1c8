// __primordials.dns (spec 3): resolve(hostname, rrtype) -> { TYPE: records }, plus setServers, getServers
// and configure (timeout, tries).
#include <ares.h>
#include <uv.h>

#include "dns/records.h"
#include "dns/resolver.h"
#include "kernel/args.h"
#include "kernel/binding.h"
#include "kernel/errors.h"

namespace corojs {

namespace {

// PTR lookups accept an IP address and ask for its reverse name, as dns.reverse does in Node.
std::string ReverseName(const std::string& ip) {
  unsigned char bytes[16];
  static const char kHex[] = "0123456789abcdef";
  if (uv_inet_pton(AF_INET, ip.c_str(), bytes) == 0) {
    return std::to_string(bytes[3]) + "." + std::to_string(bytes[2]) + "." + std::to_string(bytes[1]) + "." +
           std::to_string(bytes[0]) + ".in-addr.arpa";
  }
  if (uv_inet_pton(AF_INET6, ip.c_str(), bytes) == 0) {
    std::string name;
    for (int i = 15; i >= 0; i--) {
      name += kHex[bytes[i] & 15];
      name += '.';
      name += kHex[bytes[i] >> 4];
      name += '.';
    }
    return name + "ip6.arpa";
  }
  return ip;
}

void ThrowDnsError(v8::Isolate* isolate, int status, const std::string& type, const std::string& hostname) {
  std::string syscall = "query" + type;
  v8::Local<v8::Object> error =
      MakeCodeError(isolate, DnsErrorCode(status), ares_strerror(status), syscall.c_str(), nullptr);
  error->Set(isolate->GetCurrentContext(), NewString(isolate, "hostname"), NewString(isolate, hostname)).Check();
  isolate->ThrowException(error);
}

void Resolve(const Args& info) {
  std::string hostname, type_name = "A";
  if (!ArgCount(info, 1, "dns.resolve") || !ArgString(info, 0, "hostname", &hostname)) return;
  if (!info[1]->IsUndefined() && !ArgString(info, 1, "rrtype", &type_name)) return;
  v8::Isolate* isolate = info.GetIsolate();
  const RecordType* type = FindRecordType(type_name);
  if (!type) {
    return ThrowTypeError(isolate,
                          "unknown rrtype '" + type_name + "' (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT, CAA, ANY)",
                          "ERR_INVALID_ARG_VALUE");
  }
  if (hostname.empty() || hostname.size() > 253) {
    return ThrowTypeError(isolate, "hostname must be a DNS name of 1 to 253 characters", "ERR_INVALID_ARG_VALUE");
  }
  DnsAnswer answer = QueryDns(type->type == 12 ? ReverseName(hostname) : hostname, type->type);
  if (answer.status != ARES_SUCCESS) return ThrowDnsError(isolate, answer.status, type->name, hostname);
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  int rc = ARES_ENODATA;
  if (std::string(type->name) == "ANY") {
    size_t count;
    const RecordType* types = ConcreteRecordTypes(&count);
    for (size_t i = 0; i < count; i++) {
      if (AddRecords(isolate, types[i], answer.packet, out) == ARES_SUCCESS) rc = ARES_SUCCESS;
    }
  } else {
    rc = AddRecords(isolate, *type, answer.packet, out);
  }
  if (rc != ARES_SUCCESS) return ThrowDnsError(isolate, rc, type->name, hostname);
  info.GetReturnValue().Set(out);
}

// setServers(['127.0.0.1:5353', '[::1]:53', ...])
void SetServers(const Args& info) {
  if (!ArgCount(info, 1, "dns.setServers")) return;
  v8::Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsArray()) return ThrowTypeError(isolate, "The \"servers\" argument must be an array of strings");
  v8::Local<v8::Array> list = info[0].As<v8::Array>();
  std::string csv;
  for (uint32_t i = 0; i < list->Length(); i++) {
    v8::Local<v8::Value> item;
    if (!list->Get(isolate->GetCurrentContext(), i).ToLocal(&item) || !item->IsString()) {
      return ThrowTypeError(isolate, "every server must be a string like '127.0.0.1:5353'");
    }
    v8::String::Utf8Value server(isolate, item);
    std::string text(*server, server.length());
    if (text.find(',') != std::string::npos || text.find('\0') != std::string::npos) {
      return ThrowTypeError(isolate, "invalid DNS server '" + text + "'", "ERR_INVALID_IP_ADDRESS");
    }
    csv += (csv.empty() ? "" : ",") + text;
  }
  int rc = SetDnsServers(csv);
  if (rc != ARES_SUCCESS) ThrowTypeError(isolate, "invalid DNS server list '" + csv + "'", "ERR_INVALID_IP_ADDRESS");
}

void GetServers(const Args& info) {
  v8::Isolate* isolate = info.GetIsolate();
  std::string csv = GetDnsServers();
  v8::Local<v8::Array> out = v8::Array::New(isolate);
  size_t start = 0;
  while (start < csv.size()) {
    size_t comma = csv.find(',', start);
    if (comma == std::string::npos) comma = csv.size();
    out->Set(isolate->GetCurrentContext(), out->Length(), NewString(isolate, csv.substr(start, comma - start))).Check();
    start = comma + 1;
  }
  info.GetReturnValue().Set(out);
}

// configure(timeoutMs, tries)
void Configure(const Args& info) {
  int64_t timeout, tries;
  if (!ArgCount(info, 2, "dns.configure") || !ArgInt(info, 0, "timeout", 1, 600000, &timeout) ||
      !ArgInt(info, 1, "tries", 1, 16, &tries)) {
    return;
  }
  int rc = ConfigureDns(static_cast<int>(timeout), static_cast<int>(tries));
  if (rc != ARES_SUCCESS) ThrowCodeError(info.GetIsolate(), DnsErrorCode(rc), ares_strerror(rc), "configure");
}

}  // namespace

void InitDnsBindings(v8::Isolate* isolate, v8::Local<v8::Object> target) {
  SetMethod(isolate, target, "resolve", Resolve);
  SetMethod(isolate, target, "setServers", SetServers);  // extension, as in Node
  SetMethod(isolate, target, "getServers", GetServers);  // extension
  SetMethod(isolate, target, "configure", Configure);    // extension
}

}  // namespace corojs
