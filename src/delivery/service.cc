#include "delivery/service.h"

#include <cstdio>

namespace headroom {

DeliveryService::DeliveryService(const Config& config, std::string data_dir)
    : DeliveryService(config, std::move(data_dir), Options{}) {}

DeliveryService::DeliveryService(const Config& config, std::string data_dir, Options options)
    : config_(config), data_dir_(std::move(data_dir)), options_(std::move(options)) {}

DeliveryService::~DeliveryService() { Stop(); }

void DeliveryService::Start() {
  if (thread_.joinable() || config_.webhooks.empty()) return;
  auto store = Store::Open(data_dir_, config_.storage.synchronous);
  worker_ = std::make_unique<DeliveryWorker>(config_, std::move(store), options_.worker);
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DeliveryService::Stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  worker_->Wake();
  thread_.join();
  worker_.reset();
}

void DeliveryService::Notify() {
  if (thread_.joinable()) worker_->Wake();
}

void DeliveryService::Run() {
  while (!stop_) {
    try {
      worker_->Step(options_.poll_ms);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "headroom delivery: %s\n", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_ms));
    }
  }
}

}  // namespace headroom
