// Modules that use the probes also see the address type they return.
@_exported import Inet
