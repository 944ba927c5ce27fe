// Ctrl-C and SIGTERM for the commands: a flag set by the signal, read by the loops. The
// handler is installed without SA_RESTART, so a blocking read or poll returns at once.
#pragma once

namespace mib::cli {

// Installs the handler for SIGINT and SIGTERM (and ignores SIGPIPE: a closed stdout is a
// write error instead). Clears earlier interrupts.
void watch_interrupts();

// How many interrupts arrived since watch_interrupts(); a second one means "now".
int interrupts();
inline bool interrupted() {
  return interrupts() > 0;
}

// The exit status of a run that an interrupt ended: 128 + the signal, as shells report.
int interrupted_status();

}  // namespace mib::cli
