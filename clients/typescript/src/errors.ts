// Reads the declared reason (google.rpc.ErrorInfo.reason, a value name of customs.ra.v1.ErrorReason without its
// prefix) from an RA refusal. Connect hands the status details over as (type, bytes) pairs; ErrorInfo's reason is
// its field 1, read from the wire format so the client needs no copy of the googleapis protos.
import { ConnectError } from "@connectrpc/connect";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

export function errorReason(error: unknown): string | undefined {
  if (!(error instanceof ConnectError)) return undefined;
  for (const detail of error.details) {
    // Details a client built itself carry a descriptor; those received from a server carry a type name.
    if (!("type" in detail) || detail.type !== "google.rpc.ErrorInfo") continue;
    const reader = new BinaryReader(detail.value);
    while (reader.pos < reader.len) {
      const [number, wireType] = reader.tag();
      if (number === 1 && wireType === WireType.LengthDelimited) return reader.string();
      reader.skip(wireType);
    }
  }
  return undefined;
}
