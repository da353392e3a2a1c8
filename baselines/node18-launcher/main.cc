// Node 18 linked against CoroJS's own libnode.so.108: the baseline with V8, libuv and OpenSSL held fixed.
#include <node.h>

int main(int argc, char** argv) { return node::Start(argc, argv); }
