#!/usr/bin/python3
"""Contract test of the Python client against a running RA: apply for a new organisation certificate, pay it as
the fee system (mTLS, role fees), submit a CSR made with `openssl req`, wait for the CA, download the certificate
and check that its public key is the CSR's. Also checks a retried SubmitApplication replays the first answer and
that a payload signed for one RPC is refused on another.

Run `clients/python/generate` first. Exit code 0 means the walk passed; the last line printed is a JSON object
with the application id, the issued serial and the CSR (base64 DER) for the caller to check independently.

Every setting is an argument or, when it is absent, an environment variable:
  --server        RA_SERVER          https://host:port of the RA
  --trust-bundle  RA_TRUST_BUNDLE    PEM CA bundle the RA's TLS certificate chains to
  --signer-cert   RA_SIGNER_CERT     PEM applicant signing certificate (MOEACA company certificate)
  --signer-key    RA_SIGNER_KEY      PEM private key of that certificate
  --fees-cert     RA_FEES_CERT       PEM mTLS client certificate of the fee system (role fees)
  --fees-key      RA_FEES_KEY        PEM private key of that certificate
  --ubn           RA_APPLICANT_UBN   the company's UBN, as in the signing certificate
  --name          RA_APPLICANT_NAME  the company's registered name
"""

import argparse
import base64
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402

from customs.ra.v1 import (  # noqa: E402
    application_pb2, common_pb2, payments_pb2, payments_pb2_grpc, registration_authority_pb2 as ra,
    registration_authority_pb2_grpc as ra_grpc)
import ra_envelope  # noqa: E402
from ra_errors import error_reason  # noqa: E402

SETTINGS = {
    "server": "RA_SERVER", "trust_bundle": "RA_TRUST_BUNDLE", "signer_cert": "RA_SIGNER_CERT",
    "signer_key": "RA_SIGNER_KEY", "fees_cert": "RA_FEES_CERT", "fees_key": "RA_FEES_KEY",
    "ubn": "RA_APPLICANT_UBN", "name": "RA_APPLICANT_NAME",
}
CA_WAIT_SECONDS = 60


class ContractFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise ContractFailure(message)


def settings():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, variable in SETTINGS.items():
        parser.add_argument("--" + name.replace("_", "-"), default=os.environ.get(variable))
    args = parser.parse_args()
    missing = [f"--{n.replace('_', '-')} ({v})" for n, v in SETTINGS.items() if not getattr(args, n)]
    if missing:
        parser.error("missing: " + ", ".join(missing))
    return args


def read(path):
    with open(path, "rb") as f:
        return f.read()


def channel(args, client_cert=None, client_key=None):
    target = urllib.parse.urlparse(args.server).netloc
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.trust_bundle),
        private_key=read(client_key) if client_key else None,
        certificate_chain=read(client_cert) if client_cert else None)
    return grpc.secure_channel(target, credentials)


def openssl(*arguments):
    result = subprocess.run(["openssl", *arguments], capture_output=True, check=False)
    if result.returncode != 0:
        raise ContractFailure(f"openssl {arguments[0]} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout


def make_csr(folder):
    """A P-256 key and its PKCS#10 request (DER); the subject is the applicant's business, the RA ignores it."""
    key, csr = os.path.join(folder, "key.pem"), os.path.join(folder, "csr.der")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
            "-subj", "/CN=python contract test", "-outform", "DER", "-out", csr)
    return read(csr)


def public_key_of(kind, der, folder):
    path = os.path.join(folder, f"{kind}-{uuid.uuid4()}.der")
    with open(path, "wb") as f:
        f.write(der)
    # Both print the SubjectPublicKeyInfo as PEM, so equal keys give equal text.
    return openssl(kind, "-inform", "DER", "-in", path, "-pubkey", "-noout")


def walk(args, folder):
    applicants = ra_grpc.RegistrationAuthorityStub(channel(args))
    fees = payments_pb2_grpc.PaymentsStub(channel(args, args.fees_cert, args.fees_key))

    def sign(payload):
        return ra_envelope.sign(payload, args.signer_cert, args.signer_key)

    def header():
        return ra_envelope.organization_header(args.ubn, args.name)

    # Apply. The same envelope sent again (a retry after a lost answer) replays the first answer.
    content = application_pb2.ApplicationContent(
        service_type=common_pb2.SERVICE_TYPE_NEW, kind=common_pb2.CERTIFICATE_KIND_ORGANIZATION,
        organization=application_pb2.OrganizationSubject(ubn=args.ubn, name=args.name),
        notice_email="python-contract@example.test")
    envelope = sign(ra.SubmitApplicationPayload(header=header(), content=content))
    application = applicants.SubmitApplication(ra.SubmitApplicationRequest(envelope=envelope)).application
    expect(application.state == common_pb2.APPLICATION_STATE_AWAITING_PAYMENT,
           f"application is {common_pb2.ApplicationState.Name(application.state)}: {list(application.rejection_reasons)}")
    retried = applicants.SubmitApplication(ra.SubmitApplicationRequest(envelope=envelope)).application
    expect(retried.application_id == application.application_id, "a retried submission made a second application")

    # A payload signed for GetApplication is refused on GetPaymentSlip, although its bytes parse there too.
    misdirected = sign(ra.GetApplicationPayload(header=header(), application_id=application.application_id))
    try:
        applicants.GetPaymentSlip(ra.GetPaymentSlipRequest(envelope=misdirected))
        raise ContractFailure("a payload signed for GetApplication was accepted by GetPaymentSlip")
    except grpc.RpcError as e:
        expect(e.code() == grpc.StatusCode.INVALID_ARGUMENT and error_reason(e) == "RPC_MISMATCH",
               f"misdirected payload: expected INVALID_ARGUMENT RPC_MISMATCH, got {e.code()} {error_reason(e)}")

    # Pay, as the fee system does.
    slip = application.payment_slip
    paid_at = timestamp_pb2.Timestamp()
    paid_at.FromDatetime(datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None))
    paid = fees.ConfirmPayment(payments_pb2.ConfirmPaymentRequest(
        slip_number=slip.slip_number, amount_ntd=slip.amount_ntd, paid_at=paid_at,
        receipt_reference=f"RCPT-PY-{uuid.uuid4().hex}")).application
    expect(paid.state == common_pb2.APPLICATION_STATE_AWAITING_KEY,
           f"after payment the application is {common_pb2.ApplicationState.Name(paid.state)}")

    # Submit the key.
    csr = make_csr(folder)
    forwarded = applicants.SubmitCsr(ra.SubmitCsrRequest(envelope=sign(ra.SubmitCsrPayload(
        header=header(), application_id=application.application_id, csr_der=csr)))).application
    expect(forwarded.state in (common_pb2.APPLICATION_STATE_FORWARDED, common_pb2.APPLICATION_STATE_COMPLETED),
           f"after the CSR the application is {common_pb2.ApplicationState.Name(forwarded.state)}")

    # Wait for the CA (the RA forwards the request in the background).
    deadline = time.monotonic() + CA_WAIT_SECONDS
    while True:
        current = applicants.GetApplication(ra.GetApplicationRequest(envelope=sign(ra.GetApplicationPayload(
            header=header(), application_id=application.application_id)))).application
        if current.state == common_pb2.APPLICATION_STATE_COMPLETED:
            break
        expect(current.state == common_pb2.APPLICATION_STATE_FORWARDED,
               f"application ended {common_pb2.ApplicationState.Name(current.state)}: {current.failure_detail}")
        expect(time.monotonic() < deadline, f"the CA did not answer within {CA_WAIT_SECONDS} s")
        time.sleep(0.25)

    # Download, and check the certificate carries the CSR's key.
    download = applicants.DownloadCertificate(ra.DownloadCertificateRequest(envelope=sign(
        ra.DownloadCertificatePayload(header=header(), application_id=application.application_id))))
    expect(download.certificate.serial_hex == current.issued_certificate_serial_hex,
           "the downloaded certificate is not the one the application issued")
    expect(public_key_of("x509", download.certificate_der, folder) == public_key_of("req", csr, folder),
           "the certificate's public key is not the CSR's")
    return {"application_id": application.application_id, "serial_hex": download.certificate.serial_hex,
            "csr_der": base64.b64encode(csr).decode()}


def main():
    args = settings()
    with tempfile.TemporaryDirectory(prefix="ra-python-contract-") as folder:
        try:
            result = walk(args, folder)
        except grpc.RpcError as e:
            print(f"FAILED: the RA refused: {e.code()} {error_reason(e)}: {e.details()}", file=sys.stderr)
            return 1
        except ContractFailure as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
    print("python contract test: apply, pay, submit CSR, download passed")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
