// The whole public API of market-intel-streaming in one include.
#pragma once

#include "mib/client/client.hpp"
#include "mib/client/connection_status.hpp"
#include "mib/client/metadata.hpp"
#include "mib/config/config.hpp"
#include "mib/config/duration.hpp"
#include "mib/consumer/consumer.hpp"
#include "mib/error.hpp"
#include "mib/kafka/embedded_cluster.hpp"
#include "mib/kafka/properties.hpp"
#include "mib/market/synthetic_feed.hpp"
#include "mib/message.hpp"
#include "mib/producer/delivery_report.hpp"
#include "mib/producer/producer.hpp"
#include "mib/serde/json.hpp"
#include "mib/serde/market_data.hpp"
#include "mib/serde/rfc3339.hpp"
