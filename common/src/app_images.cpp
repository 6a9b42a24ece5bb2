// The mandelbrot pictures (--image): the iteration counts the workers wrote, through a
// colour map, and the cost map beside it, both encoded as PNG in memory (libpng); the
// driver writes the bytes with write_file_atomically().
#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "schedlab/application.hpp"

namespace schedlab {
namespace {

using Rgb = std::array<png_byte, 3>;

// A smooth dark-blue -> orange -> white ramp for t in [0, 1] (Bernstein polynomials).
Rgb ramp(double t) {
  const double u = 1.0 - t;
  const auto channel = [](double v) {
    return static_cast<png_byte>(std::clamp(v, 0.0, 1.0) * 255.0 + 0.5);
  };
  return {channel(9.0 * u * t * t * t), channel(15.0 * u * u * t * t),
          channel(8.5 * u * u * u * t)};
}

void append_bytes(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

// RGB rows (3 bytes a pixel) as a PNG file's bytes.
std::string encode_png(const std::vector<png_byte>& pixels, std::size_t width, std::size_t height) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png == nullptr ? nullptr : png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    throw std::runtime_error("libpng: cannot create a PNG writer");
  }
  std::string out;
  // libpng reports its errors by longjmp: nothing with a destructor is made below here.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng: cannot encode the image");
  }
  png_set_write_fn(png, &out, append_bytes, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (std::size_t row = 0; row < height; ++row) {
    png_write_row(png, const_cast<png_bytep>(pixels.data() + row * width * 3));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

void put(std::vector<png_byte>& pixels, std::size_t at, const Rgb& rgb) {
  std::copy(rgb.begin(), rgb.end(), pixels.begin() + static_cast<std::ptrdiff_t>(at * 3));
}

}  // namespace

std::string mandelbrot_png(const std::vector<std::uint32_t>& counts, std::size_t width,
                           std::uint64_t max_iterations) {
  const std::size_t height = width == 0 ? 0 : counts.size() / width;
  std::vector<png_byte> pixels(width * height * 3, 0);
  const double scale = std::log(static_cast<double>(max_iterations) + 1.0);
  for (std::size_t i = 0; i < width * height; ++i) {
    // Inside the set (the cap reached) stays black; outside, the log of the count coloured.
    if (counts[i] >= max_iterations) continue;
    put(pixels, i, ramp(std::log(static_cast<double>(counts[i]) + 1.0) / scale));
  }
  return encode_png(pixels, width, height);
}

std::string cost_map_png(const std::vector<double>& seconds) {
  constexpr std::size_t kWidth = 256;
  const double longest = seconds.empty() ? 0.0 : *std::max_element(seconds.begin(), seconds.end());
  std::vector<png_byte> pixels(kWidth * seconds.size() * 3, 32);  // dark grey background
  for (std::size_t row = 0; row < seconds.size(); ++row) {
    const double t = longest > 0 ? seconds[row] / longest : 0.0;
    const auto bar = static_cast<std::size_t>(std::lround(t * kWidth));
    for (std::size_t x = 0; x < bar; ++x) put(pixels, row * kWidth + x, ramp(0.15 + 0.7 * t));
  }
  return encode_png(pixels, kWidth, seconds.size());
}

}  // namespace schedlab
