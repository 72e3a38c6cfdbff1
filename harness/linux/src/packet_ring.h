// The receive ring of a packet socket (PACKET_RX_RING, TPACKET_V2): the kernel writes each frame
// into memory shared with us, so reading one, or finding there is none, costs no system call.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness::linux_sut {

class PacketRing {
 public:
  struct Frame {
    std::span<const std::uint8_t> bytes;  // from the link-layer header on
    std::uint8_t packet_type = 0;         // PACKET_HOST, PACKET_OUTGOING, ...
  };

  // Sets up and maps a ring of `frames` slots of `frame_size` bytes on packet socket `fd`
  // (before it is bound, so that no frame goes to the socket's ordinary queue).
  [[nodiscard]] static Result<PacketRing> attach(int fd, std::uint32_t frames,
                                                 std::uint32_t frame_size);
  PacketRing() = default;
  PacketRing(PacketRing&& other) noexcept;
  PacketRing& operator=(PacketRing&& other) noexcept;
  PacketRing(const PacketRing&) = delete;
  PacketRing& operator=(const PacketRing&) = delete;
  ~PacketRing();

  // The next frame the kernel filled, in order, or nothing. The previous frame goes back to the
  // kernel first; the returned one stays ours until the next call or release(). An error when
  // the ring overflowed (frames were lost) or a frame did not fit its slot.
  [[nodiscard]] Result<std::optional<Frame>> next();
  // Hands the frame next() returned back to the kernel.
  void release();

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t frame_size_ = 0;
  std::size_t frames_ = 0;
  std::size_t next_ = 0;          // the slot the kernel fills next
  std::uint8_t* held_ = nullptr;  // the slot next() last returned
};

}  // namespace tcpconform::harness::linux_sut
