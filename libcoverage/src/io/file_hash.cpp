// SHA-256 of a file through OpenSSL's EVP interface.

#include "io/file_hash.hpp"

#include <coverage/core/error.hpp>

#include "core/text.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace coverage::detail {

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw IoError("cannot read '" + path + "' to checksum it");
    }
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw IoError("SHA-256 unavailable (OpenSSL)");
    }
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0) {
            EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
        }
    }
    if (in.bad()) {
        throw IoError("cannot read '" + path + "' to checksum it");
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &n);
    std::string hex;
    for (unsigned int i = 0; i < n; ++i) {
        hex += format("%02x", digest[i]);
    }
    return hex;
}

} // namespace coverage::detail
