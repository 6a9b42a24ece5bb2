// Every output header at once, for code that reads or writes records (the report tool,
// the benchmarks). New code includes the one it needs from schedlab/output/.
#pragma once

#include "schedlab/comparison.hpp"
#include "schedlab/output/csv.hpp"
#include "schedlab/output/finish.hpp"
#include "schedlab/output/json.hpp"
#include "schedlab/output/record.hpp"
#include "schedlab/output/selection.hpp"
#include "schedlab/output/table.hpp"
#include "schedlab/output/timeline.hpp"
