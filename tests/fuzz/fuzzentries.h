#pragma once
// One entry point per fuzz target, shared by the libFuzzer harnesses (tests/fuzz, CLADE_FUZZ=ON)
// and by tst_fuzzregressions (tests/reliability), which feeds every saved input through the same
// call in the normal suite. Each returns 0; a bug shows as a crash or a sanitizer report.

#include <cstddef>
#include <cstdint>

namespace clade::fuzz {

int npy(const std::uint8_t *data, std::size_t size);             // readNpy on a temp file
int exiv2Metadata(const std::uint8_t *data, std::size_t size);   // Exiv2MetadataReader::read on a temp file
int decoder(const std::uint8_t *data, std::size_t size);         // OpenCvDecoder::decodeBytes
int catalogue(const std::uint8_t *data, std::size_t size);       // parseCatalogue
int safetensors(const std::uint8_t *data, std::size_t size);     // SafeTensorsFile::open on a temp file (0 when not built)

}   // namespace clade::fuzz
