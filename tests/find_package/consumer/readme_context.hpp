// What the README's "Using the library" fragments take as given: the library, chrono
// literals, and names an application would have of its own. Declared only: the fragments
// are compiled, never linked (see ../run.cmake).
#pragma once

#include <mib/mib.hpp>
#include <string>

using namespace std::chrono_literals;

extern const mib::Config config;   // loaded with mib::Config::load(...)
extern const std::string brokers;  // "host:9092,..."
extern const std::string json;     // a record's value
extern const mib::DeliveryCallback on_delivery;
void handle(const mib::Message& message);  // the application's own processing
struct OrderBook {
  void update(const mib::Message& message);
};
extern OrderBook book;
extern const mib::Client client;  // made from the Config
