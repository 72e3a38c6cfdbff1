// Setting up, reading and releasing a TPACKET_V2 receive ring.
#include "packet_ring.h"

#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "unique_fd.h"

namespace tcpconform::harness::linux_sut {

Result<PacketRing> PacketRing::attach(int fd, std::uint32_t frames, std::uint32_t frame_size) {
  // One page per block: the kernel allocates order-0 pages at once, where 64 KiB blocks took
  // ~15 ms to set up on a busy machine.
  const auto block_size = std::max(static_cast<std::uint32_t>(::getpagesize()), frame_size);
  const tpacket_req request{.tp_block_size = block_size,
                            .tp_block_nr = frames * frame_size / block_size,
                            .tp_frame_size = frame_size,
                            .tp_frame_nr = frames};
  const int version = TPACKET_V2;
  if (::setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0 ||
      ::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &request, sizeof(request)) != 0) {
    return tl::unexpected(os_error("PACKET_RX_RING", "cannot set up the receive ring"));
  }
  const std::size_t size = std::size_t{frames} * frame_size;
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) return tl::unexpected(os_error("mmap", "cannot map the receive ring"));
  PacketRing ring;
  ring.data_ = static_cast<std::uint8_t*>(data);
  ring.frame_size_ = frame_size;
  ring.frames_ = frames;
  return ring;
}

PacketRing::PacketRing(PacketRing&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      frame_size_(other.frame_size_),
      frames_(other.frames_),
      next_(other.next_),
      held_(std::exchange(other.held_, nullptr)) {}

PacketRing& PacketRing::operator=(PacketRing&& other) noexcept {
  if (this != &other) {
    PacketRing old(std::move(*this));
    data_ = std::exchange(other.data_, nullptr);
    frame_size_ = other.frame_size_;
    frames_ = other.frames_;
    next_ = other.next_;
    held_ = std::exchange(other.held_, nullptr);
  }
  return *this;
}

PacketRing::~PacketRing() {
  if (data_ != nullptr) ::munmap(data_, frames_ * frame_size_);
}

void PacketRing::release() {
  if (held_ == nullptr) return;
  // The kernel reads tp_status to find free slots: publish it after we are done with the data.
  __atomic_store_n(&reinterpret_cast<tpacket2_hdr*>(held_)->tp_status, TP_STATUS_KERNEL,
                   __ATOMIC_RELEASE);
  held_ = nullptr;
}

Result<std::optional<PacketRing::Frame>> PacketRing::next() {
  release();
  std::uint8_t* slot = data_ + next_ * frame_size_;
  auto* header = reinterpret_cast<tpacket2_hdr*>(slot);
  const std::uint32_t status = __atomic_load_n(&header->tp_status, __ATOMIC_ACQUIRE);
  if ((status & TP_STATUS_USER) == 0) return std::optional<Frame>{};
  held_ = slot;
  next_ = (next_ + 1) % frames_;
  if ((status & TP_STATUS_LOSING) != 0) {
    return tl::unexpected(Error{"collect", "the receive ring overflowed: frames were lost"});
  }
  if (header->tp_snaplen != header->tp_len) {
    return tl::unexpected(Error{"collect", "a frame larger than a ring slot (offloads on?)"});
  }
  const auto* from = reinterpret_cast<const sockaddr_ll*>(slot + TPACKET_ALIGN(sizeof(*header)));
  return Frame{std::span<const std::uint8_t>(slot + header->tp_mac, header->tp_snaplen),
               from->sll_pkttype};
}

}  // namespace tcpconform::harness::linux_sut
