// Turning a raw DNS answer into the JS shapes Node uses: A/AAAA/CNAME/NS/PTR as string arrays, MX as
// { exchange, priority }, SRV as { name, port, priority, weight }, TXT as arrays of chunks, SOA as one object,
// CAA as { critical, <tag>: value }.
#pragma once

#include <v8.h>

#include <string>

namespace corojs {

struct RecordType {
  const char* name;
  int type;  // ns_t_*
};

// The record types dns.resolve knows, 'ANY' last; nullptr for an unknown name.
const RecordType* FindRecordType(const std::string& name);

// Adds `out[type.name] = records` for records of `type` in `packet`. Returns ARES_SUCCESS, ARES_ENODATA when
// there are none, or a parse error.
int AddRecords(v8::Isolate* isolate, const RecordType& type, const std::string& packet, v8::Local<v8::Object> out);

// Every concrete type ('ANY' excluded), for parsing an ANY answer.
const RecordType* ConcreteRecordTypes(size_t* count);

}  // namespace corojs
