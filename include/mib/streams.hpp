// mib::streams: stream processing on mib's consumer, producer and processing loop.
//   namespace st = mib::streams;
// See docs/streams.md.
#pragma once

#include "mib/streams/aggregations.hpp"
#include "mib/streams/join.hpp"
#include "mib/streams/processor.hpp"
#include "mib/streams/record.hpp"
#include "mib/streams/result_serde.hpp"
#include "mib/streams/store.hpp"
#include "mib/streams/stream.hpp"
#include "mib/streams/table.hpp"
#include "mib/streams/test_driver.hpp"
#include "mib/streams/topology.hpp"
#include "mib/streams/window.hpp"
