// libFuzzer harness; CLADE_FUZZ_ENTRY names the entry point in fuzzentries.h.
#include "fuzzentries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return clade::fuzz::CLADE_FUZZ_ENTRY(data, size);
}
