// SHA-256 and HMAC through OpenSSL's one-shot calls, random bytes, zstd one-shot (de)compression.
#include "sync/codec.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zstd.h>

#include <array>
#include <vector>

namespace kiosk::sync {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

std::string ToHex(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kHexDigits[data[i] >> 4U]);
        out.push_back(kHexDigits[data[i] & 0x0FU]);
    }
    return out;
}

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

std::string Sha256Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
    return ToHex(digest.data(), size);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(), digest.data(), &size);
    return ToHex(digest.data(), size);
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

Result<std::string> RandomHex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
        return core::Fail(core::ErrorCode::Unavailable, "the system random source failed");
    }
    return ToHex(buffer.data(), buffer.size());
}

Result<std::string> ZstdCompress(std::string_view data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    if (ZSTD_isError(size) != 0U) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("zstd compression failed: ") + ZSTD_getErrorName(size));
    }
    out.resize(size);
    return out;
}

Result<std::string> ZstdDecompress(std::string_view data, std::size_t maxSize) {
    // Streaming, so a frame that does not state its size (or lies about it) still stops at maxSize.
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    if (ctx == nullptr) return core::Fail(core::ErrorCode::Unavailable, "zstd: out of memory");
    std::string out;
    std::array<char, 64 * 1024> chunk{};
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    std::size_t last = 1;
    for (;;) {
        ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
        last = ZSTD_decompressStream(ctx, &buffer, &in);
        if (ZSTD_isError(last) != 0U) {
            ZSTD_freeDCtx(ctx);
            return core::Fail(core::ErrorCode::InvalidInput, std::string("body is not valid zstd: ") + ZSTD_getErrorName(last));
        }
        out.append(chunk.data(), buffer.pos);
        if (out.size() > maxSize) {
            ZSTD_freeDCtx(ctx);
            return core::Fail(core::ErrorCode::InvalidInput,
                              "body expands past the limit of " + std::to_string(maxSize) + " bytes");
        }
        // Input used up and the output not full: nothing more will come out.
        if (in.pos == in.size && buffer.pos < buffer.size) break;
    }
    ZSTD_freeDCtx(ctx);
    if (last != 0) return core::Fail(core::ErrorCode::InvalidInput, "body is a truncated zstd frame");
    return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view target, std::string_view kiosk,
                             std::int64_t timeMs, std::string_view nonce, std::string_view body) {
    std::string out = "KIOSK-HMAC-SHA256\n";
    out.append(method).append("\n").append(target).append("\n").append(kiosk).append("\n");
    out.append(std::to_string(timeMs)).append("\n").append(nonce).append("\n").append(Sha256Hex(body));
    return out;
}

}  // namespace kiosk::sync
