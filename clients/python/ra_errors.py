"""Reads the declared reason (google.rpc.ErrorInfo.reason, a value name of customs.ra.v1.ErrorReason without its
prefix) from an RA refusal.

The RA sends it in the standard `grpc-status-details-bin` trailer. Debian ships no Python googleapis protos, so
the three nested fields needed (Status.details = 3, Any.type_url = 1 / Any.value = 2, ErrorInfo.reason = 1) are
read straight from the protobuf wire format here.
"""

_ERROR_INFO = b"type.googleapis.com/google.rpc.ErrorInfo"


def _varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _fields(data):
    """Yields (field number, value) of one serialized message: ints for varints, bytes for everything else."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i:i + size], i + size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, i = data[i:i + size], i + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, value


def error_reason(error):
    """The ErrorInfo reason of a grpc.RpcError, or None when the status carries none."""
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for number, detail in _fields(value):
            if number != 3:
                continue
            any_fields = dict(_fields(detail))
            if any_fields.get(1) == _ERROR_INFO:
                reason = dict(_fields(any_fields.get(2, b""))).get(1, b"")
                return reason.decode()
    return None
