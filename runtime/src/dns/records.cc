// Parsing DNS answers into JS values: see records.h.
#include "dns/records.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <uv.h>

#include "kernel/args.h"

namespace corojs {

namespace {

const RecordType kTypes[] = {
    {"A", ns_t_a},     {"AAAA", ns_t_aaaa}, {"CNAME", ns_t_cname}, {"MX", ns_t_mx},
    {"NS", ns_t_ns},   {"PTR", ns_t_ptr},   {"SOA", ns_t_soa},     {"SRV", ns_t_srv},
    {"TXT", ns_t_txt}, {"CAA", 257},        {"ANY", ns_t_any},
};
constexpr size_t kConcreteTypes = sizeof(kTypes) / sizeof(kTypes[0]) - 1;

const unsigned char* Bytes(const std::string& packet) { return reinterpret_cast<const unsigned char*>(packet.data()); }
int Length(const std::string& packet) { return static_cast<int>(packet.size()); }

void Push(v8::Isolate* isolate, v8::Local<v8::Array> array, v8::Local<v8::Value> value) {
  array->Set(isolate->GetCurrentContext(), array->Length(), value).Check();
}

void Put(v8::Isolate* isolate, v8::Local<v8::Object> obj, const char* key, v8::Local<v8::Value> value) {
  obj->Set(isolate->GetCurrentContext(), NewString(isolate, key), value).Check();
}

v8::Local<v8::Number> Num(v8::Isolate* isolate, double v) { return v8::Number::New(isolate, v); }

// A and AAAA: addresses of that family only (an A answer through a CNAME chain carries the CNAME too).
int ParseAddresses(v8::Isolate* isolate, const RecordType& type, const std::string& packet, v8::Local<v8::Array> out) {
  hostent* host = nullptr;
  int rc = type.type == ns_t_a ? ares_parse_a_reply(Bytes(packet), Length(packet), &host, nullptr, nullptr)
                               : ares_parse_aaaa_reply(Bytes(packet), Length(packet), &host, nullptr, nullptr);
  if (rc != ARES_SUCCESS) return rc;
  for (char** addr = host->h_addr_list; addr && *addr; addr++) {
    char ip[INET6_ADDRSTRLEN];
    uv_inet_ntop(host->h_addrtype, *addr, ip, sizeof(ip));
    Push(isolate, out, NewString(isolate, ip));
  }
  ares_free_hostent(host);
  return ARES_SUCCESS;
}

// NS and PTR: names (from hostent aliases / name).
int ParseNames(v8::Isolate* isolate, const RecordType& type, const std::string& packet, v8::Local<v8::Array> out) {
  hostent* host = nullptr;
  int rc = type.type == ns_t_ns ? ares_parse_ns_reply(Bytes(packet), Length(packet), &host)
                                : ares_parse_ptr_reply(Bytes(packet), Length(packet), nullptr, 0, AF_INET, &host);
  if (rc != ARES_SUCCESS) return rc;
  for (char** alias = host->h_aliases; alias && *alias; alias++) Push(isolate, out, NewString(isolate, *alias));
  if (type.type == ns_t_ptr && out->Length() == 0 && host->h_name) Push(isolate, out, NewString(isolate, host->h_name));
  ares_free_hostent(host);
  return ARES_SUCCESS;
}

}  // namespace

const RecordType* FindRecordType(const std::string& name) {
  for (const RecordType& t : kTypes) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

const RecordType* ConcreteRecordTypes(size_t* count) {
  *count = kConcreteTypes;
  return kTypes;
}

int AddRecords(v8::Isolate* isolate, const RecordType& type, const std::string& packet, v8::Local<v8::Object> out) {
  v8::Local<v8::Array> list = v8::Array::New(isolate);
  v8::Local<v8::Value> value = list;
  int rc = ARES_SUCCESS;
  switch (type.type) {
    case ns_t_a:
    case ns_t_aaaa: rc = ParseAddresses(isolate, type, packet, list); break;
    case ns_t_ns:
    case ns_t_ptr: rc = ParseNames(isolate, type, packet, list); break;
    case ns_t_cname: {
      hostent* host = nullptr;
      rc = ares_parse_a_reply(Bytes(packet), Length(packet), &host, nullptr, nullptr);
      // The canonical name differs from the query name only if a CNAME was followed.
      if (rc == ARES_SUCCESS || rc == ARES_ENODATA) {
        if (host && host->h_aliases && host->h_aliases[0]) Push(isolate, list, NewString(isolate, host->h_name));
        rc = list->Length() ? ARES_SUCCESS : ARES_ENODATA;
      }
      if (host) ares_free_hostent(host);
      break;
    }
    case ns_t_mx: {
      ares_mx_reply* mx = nullptr;
      rc = ares_parse_mx_reply(Bytes(packet), Length(packet), &mx);
      for (ares_mx_reply* r = mx; rc == ARES_SUCCESS && r; r = r->next) {
        v8::Local<v8::Object> o = v8::Object::New(isolate);
        Put(isolate, o, "exchange", NewString(isolate, r->host));
        Put(isolate, o, "priority", Num(isolate, r->priority));
        Push(isolate, list, o);
      }
      if (mx) ares_free_data(mx);
      break;
    }
    case ns_t_srv: {
      ares_srv_reply* srv = nullptr;
      rc = ares_parse_srv_reply(Bytes(packet), Length(packet), &srv);
      for (ares_srv_reply* r = srv; rc == ARES_SUCCESS && r; r = r->next) {
        v8::Local<v8::Object> o = v8::Object::New(isolate);
        Put(isolate, o, "name", NewString(isolate, r->host));
        Put(isolate, o, "port", Num(isolate, r->port));
        Put(isolate, o, "priority", Num(isolate, r->priority));
        Put(isolate, o, "weight", Num(isolate, r->weight));
        Push(isolate, list, o);
      }
      if (srv) ares_free_data(srv);
      break;
    }
    case ns_t_txt: {
      ares_txt_ext* txt = nullptr;
      rc = ares_parse_txt_reply_ext(Bytes(packet), Length(packet), &txt);
      v8::Local<v8::Array> record;
      for (ares_txt_ext* r = txt; rc == ARES_SUCCESS && r; r = r->next) {
        if (r->record_start || record.IsEmpty()) {
          record = v8::Array::New(isolate);
          Push(isolate, list, record);
        }
        Push(isolate, record, NewString(isolate, std::string(reinterpret_cast<char*>(r->txt), r->length)));
      }
      if (txt) ares_free_data(txt);
      break;
    }
    case ns_t_soa: {
      ares_soa_reply* soa = nullptr;
      rc = ares_parse_soa_reply(Bytes(packet), Length(packet), &soa);
      if (rc == ARES_SUCCESS) {
        v8::Local<v8::Object> o = v8::Object::New(isolate);
        Put(isolate, o, "nsname", NewString(isolate, soa->nsname));
        Put(isolate, o, "hostmaster", NewString(isolate, soa->hostmaster));
        Put(isolate, o, "serial", Num(isolate, soa->serial));
        Put(isolate, o, "refresh", Num(isolate, soa->refresh));
        Put(isolate, o, "retry", Num(isolate, soa->retry));
        Put(isolate, o, "expire", Num(isolate, soa->expire));
        Put(isolate, o, "minttl", Num(isolate, soa->minttl));
        value = o;
        ares_free_data(soa);
      }
      break;
    }
    case 257: {
      ares_caa_reply* caa = nullptr;
      rc = ares_parse_caa_reply(Bytes(packet), Length(packet), &caa);
      for (ares_caa_reply* r = caa; rc == ARES_SUCCESS && r; r = r->next) {
        v8::Local<v8::Object> o = v8::Object::New(isolate);
        Put(isolate, o, "critical", Num(isolate, r->critical));
        Put(isolate, o, std::string(reinterpret_cast<char*>(r->property), r->plength).c_str(),
            NewString(isolate, std::string(reinterpret_cast<char*>(r->value), r->length)));
        Push(isolate, list, o);
      }
      if (caa) ares_free_data(caa);
      break;
    }
  }
  if (rc != ARES_SUCCESS) return rc;
  if (value->IsArray() && list->Length() == 0) return ARES_ENODATA;
  Put(isolate, out, type.name, value);
  return ARES_SUCCESS;
}

}  // namespace corojs
