"""Signs RA payloads into a SignedEnvelope with `openssl cms` (see protos/customs/ra/v1/signed.proto).

The RA verifies the signature over exactly the bytes in `payload` and parses those same bytes, so the payload is
serialized once here and the signature is made over that one byte string. Partners whose key is on a card use
their own CMS producer instead of openssl; the envelope is the same.
"""

import subprocess
import uuid

from customs.ra.v1 import common_pb2, registration_authority_pb2, signed_pb2

_SERVICE = registration_authority_pb2.DESCRIPTOR.services_by_name["RegistrationAuthority"]


def rpc_of(payload):
    """The full gRPC method name a payload is signed for: SubmitCsrPayload -> /customs.ra.v1.RegistrationAuthority/SubmitCsr."""
    name = payload.DESCRIPTOR.name
    method = _SERVICE.methods_by_name.get(name[: -len("Payload")]) if name.endswith("Payload") else None
    if method is None:
        raise ValueError(f"{name} is not the payload of a RegistrationAuthority RPC")
    return f"/{_SERVICE.full_name}/{method.name}"


def organization_header(ubn, name, request_id=None):
    """A RequestHeader for a company applicant; a fresh UUID unless the caller retries with its earlier id."""
    return signed_pb2.RequestHeader(
        request_id=request_id or str(uuid.uuid4()),
        applicant=common_pb2.Applicant(organization=common_pb2.OrganizationIdentity(ubn=ubn, name=name)),
    )


def detached_cms(content, signer_cert, signer_key):
    """DER detached CMS SignedData over `content`: SHA-256, the signer certificate, signingTime (openssl adds it).

    -binary keeps openssl from rewriting line ends as it would for S/MIME text; protobuf bytes are not text.
    """
    result = subprocess.run(
        ["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-nosmimecap",
         "-signer", signer_cert, "-inkey", signer_key, "-outform", "DER"],
        input=content, capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl cms -sign failed: " + result.stderr.decode(errors="replace"))
    return result.stdout


def sign(payload, signer_cert, signer_key):
    """Binds the payload to its RPC (header.rpc, unless already set), serializes it once and signs those bytes."""
    if not payload.header.rpc:
        payload.header.rpc = rpc_of(payload)
    content = payload.SerializeToString()
    return signed_pb2.SignedEnvelope(payload=content, cms_signature=detached_cms(content, signer_cert, signer_key))
