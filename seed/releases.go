package seed

import _ "embed"

// ReleaseHistoryCSV is the past releases the release classifier trains on
// (data/release-history.csv; mostly synthetic, see its header).
//
//go:embed data/release-history.csv
var ReleaseHistoryCSV []byte

// ReleaseInputsCSV is what ops entered for the seeded releases: sequel,
// interest index and presale lead days (data/release-inputs.csv).
//
//go:embed data/release-inputs.csv
var ReleaseInputsCSV []byte
