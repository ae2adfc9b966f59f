// Intake evidence as admin mode sees it: photos taken with the kiosk camera and the customer's
// signature, stored as files before one attached event links them to the ticket. The application
// implements it over the camera (or recorded frames) and the blob store beside the database.
#pragma once

#include <cstdint>
#include <vector>

#include "kiosk/core/admin_flow/device_port.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core::admin_flow {

// Up to this many photos at intake; with the signature's picture and strokes they fit one attached event.
inline constexpr std::size_t kMaxIntakePhotos = 6;

// A point of the customer's signature: x, y from the pad's top-left corner, 0..1 across and down;
// t in milliseconds since the pad was first touched.
struct PadPoint {
    float x = 0.0f;
    float y = 0.0f;
    std::int64_t t = 0;
};
using PadStroke = std::vector<PadPoint>;

// A photo taken at intake: its file, and a small picture of it for the screen.
struct IntakePhoto {
    Attachment file;
    ReceiptPreview thumbnail;  // RGBA; ticketNumber holds the file's hash, which tells pictures apart
};

class IntakePort {
public:
    virtual ~IntakePort() = default;
    // The camera's newest frame as a photo, stored. Fails with Unavailable when there is no camera
    // or no frame yet, Storage when the file cannot be written.
    virtual Result<IntakePhoto> TakePhoto() = 0;
    // Takes out a file intake stored and nothing attached (a dropped or retaken photo, a signature the
    // attach did not keep). A file that was stored before this intake is left alone.
    virtual Result<void> Discard(const Attachment& file) = 0;
    // The signature's picture ("signature", PNG) and strokes ("signature_strokes", JSON), stored.
    // Fails with InvalidInput for no strokes.
    virtual Result<std::vector<Attachment>> StoreSignature(const std::vector<PadStroke>& strokes) = 0;
};

}  // namespace kiosk::core::admin_flow
