// Contract test of the TypeScript client against a running RA: apply for a new organisation certificate, pay it
// as the fee system (mTLS, role fees), submit a CSR made with `openssl req`, wait for the CA, download the
// certificate and check that its public key is the CSR's. Also checks that a retried SubmitApplication replays the
// first answer and that a payload signed for one RPC is refused on another.
//
// ./generate compiles it to dist/src/contract_test.js; run that with node --server https://host:port ... Exit code 0 means the
// walk passed; the last line printed is a JSON object with the application id, the issued serial and the CSR
// (base64 DER) for the caller to check independently.
//
// Every setting is an argument or, when it is absent, an environment variable:
//   --server RA_SERVER, --trust-bundle RA_TRUST_BUNDLE (PEM CAs of the RA's TLS certificate),
//   --signer-cert RA_SIGNER_CERT / --signer-key RA_SIGNER_KEY (PEM applicant certificate and key, MOEACA),
//   --fees-cert RA_FEES_CERT / --fees-key RA_FEES_KEY (PEM mTLS client certificate and key of role fees),
//   --ubn RA_APPLICANT_UBN / --name RA_APPLICANT_NAME (the company, as in the signing certificate).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ApplicationState, CertificateKind, ServiceType } from "../gen/customs/ra/v1/common_pb.js";
import { Payments } from "../gen/customs/ra/v1/payments_pb.js";
import {
  DownloadCertificatePayloadSchema, GetApplicationPayloadSchema, RegistrationAuthority, SubmitApplicationPayloadSchema,
  SubmitCsrPayloadSchema,
} from "../gen/customs/ra/v1/registration_authority_pb.js";
import { organizationHeader, sign, type Signer } from "./envelope.js";
import { errorReason } from "./errors.js";

const settingNames = {
  server: "RA_SERVER", "trust-bundle": "RA_TRUST_BUNDLE", "signer-cert": "RA_SIGNER_CERT", "signer-key": "RA_SIGNER_KEY",
  "fees-cert": "RA_FEES_CERT", "fees-key": "RA_FEES_KEY", ubn: "RA_APPLICANT_UBN", name: "RA_APPLICANT_NAME",
} as const;
type Settings = Record<keyof typeof settingNames, string>;
const caWaitMs = 60_000;

class ContractFailure extends Error {}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new ContractFailure(message);
}

function settings(): Settings {
  const options = Object.fromEntries(Object.keys(settingNames).map((k) => [k, { type: "string" as const }]));
  const { values } = parseArgs({ options, strict: true });
  const result: Partial<Settings> = {};
  const missing: string[] = [];
  for (const [name, variable] of Object.entries(settingNames) as [keyof Settings, string][]) {
    const value = (values[name] as string | undefined) ?? process.env[variable];
    if (value) result[name] = value;
    else missing.push(`--${name} (${variable})`);
  }
  if (missing.length > 0) throw new ContractFailure(`missing: ${missing.join(", ")}`);
  return result as Settings;
}

function openssl(...args: string[]): Buffer {
  return execFileSync("openssl", args, { stdio: ["pipe", "pipe", "pipe"] });
}

/** A P-256 key and its PKCS#10 request (DER); the subject is the applicant's business, the RA ignores it. */
function makeCsr(folder: string): Uint8Array {
  const csr = join(folder, "csr.der");
  openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", join(folder, "key.pem"), "-subj", "/CN=typescript contract test", "-outform", "DER", "-out", csr);
  return new Uint8Array(readFileSync(csr));
}

/** The SubjectPublicKeyInfo as PEM, from a certificate (x509) or a CSR (req): equal keys give equal text. */
function publicKeyOf(kind: "x509" | "req", der: Uint8Array, folder: string): string {
  const path = join(folder, `${kind}-${randomUUID()}.der`);
  writeFileSync(path, der);
  return openssl(kind, "-inform", "DER", "-in", path, "-pubkey", "-noout").toString();
}

function stateName(state: ApplicationState): string {
  return ApplicationState[state] ?? String(state);
}

async function walk(s: Settings, folder: string) {
  const ca = readFileSync(s["trust-bundle"]);
  const applicants: Client<typeof RegistrationAuthority> = createClient(RegistrationAuthority,
    createGrpcTransport({ baseUrl: s.server, nodeOptions: { ca } }));
  const fees = createClient(Payments, createGrpcTransport({
    baseUrl: s.server, nodeOptions: { ca, cert: readFileSync(s["fees-cert"]), key: readFileSync(s["fees-key"]) },
  }));
  const signer: Signer = { certificate: s["signer-cert"], key: s["signer-key"] };
  const header = () => organizationHeader(s.ubn, s.name);

  // Apply. The same envelope sent again (a retry after a lost answer) replays the first answer.
  const envelope = sign(SubmitApplicationPayloadSchema, create(SubmitApplicationPayloadSchema, {
    header: header(),
    content: {
      serviceType: ServiceType.NEW, kind: CertificateKind.ORGANIZATION, noticeEmail: "typescript-contract@example.test",
      subject: { case: "organization", value: { ubn: s.ubn, name: s.name } },
    },
  }), signer);
  const application = (await applicants.submitApplication({ envelope })).application!;
  expect(application.state === ApplicationState.AWAITING_PAYMENT,
    `application is ${stateName(application.state)}: ${JSON.stringify(application.rejectionReasons)}`);
  const retried = (await applicants.submitApplication({ envelope })).application!;
  expect(retried.applicationId === application.applicationId, "a retried submission made a second application");
  const applicationId = application.applicationId;

  // A payload signed for GetApplication is refused on GetPaymentSlip, although its bytes parse there too.
  const misdirected = sign(GetApplicationPayloadSchema, create(GetApplicationPayloadSchema, { header: header(), applicationId }), signer);
  let reason: string | undefined = "accepted";
  try {
    await applicants.getPaymentSlip({ envelope: misdirected });
  } catch (e) {
    reason = errorReason(e);
  }
  expect(reason === "RPC_MISMATCH", `misdirected payload: expected reason RPC_MISMATCH, got ${reason}`);

  // Pay, as the fee system does.
  const slip = application.paymentSlip!;
  const paid = (await fees.confirmPayment({
    slipNumber: slip.slipNumber, amountNtd: slip.amountNtd, paidAt: timestampFromDate(new Date()),
    receiptReference: `RCPT-TS-${randomUUID()}`,
  })).application!;
  expect(paid.state === ApplicationState.AWAITING_KEY, `after payment the application is ${stateName(paid.state)}`);

  // Submit the key.
  const csr = makeCsr(folder);
  const forwarded = (await applicants.submitCsr({
    envelope: sign(SubmitCsrPayloadSchema, create(SubmitCsrPayloadSchema, { header: header(), applicationId, csrDer: csr }), signer),
  })).application!;
  expect(forwarded.state === ApplicationState.FORWARDED || forwarded.state === ApplicationState.COMPLETED,
    `after the CSR the application is ${stateName(forwarded.state)}`);

  // Wait for the CA (the RA forwards the request in the background).
  const deadline = Date.now() + caWaitMs;
  let serialHex: string;
  for (;;) {
    const current = (await applicants.getApplication({
      envelope: sign(GetApplicationPayloadSchema, create(GetApplicationPayloadSchema, { header: header(), applicationId }), signer),
    })).application!;
    if (current.state === ApplicationState.COMPLETED) {
      serialHex = current.issuedCertificateSerialHex;
      break;
    }
    expect(current.state === ApplicationState.FORWARDED, `application ended ${stateName(current.state)}: ${current.failureDetail}`);
    expect(Date.now() < deadline, `the CA did not answer within ${caWaitMs / 1000} s`);
    await sleep(250);
  }

  // Download, and check the certificate carries the CSR's key.
  const download = await applicants.downloadCertificate({
    envelope: sign(DownloadCertificatePayloadSchema, create(DownloadCertificatePayloadSchema, {
      header: header(), selector: { case: "applicationId", value: applicationId },
    }), signer),
  });
  expect(download.certificate?.serialHex === serialHex, "the downloaded certificate is not the one the application issued");
  expect(publicKeyOf("x509", download.certificateDer, folder) === publicKeyOf("req", csr, folder),
    "the certificate's public key is not the CSR's");
  return { application_id: applicationId, serial_hex: serialHex, csr_der: Buffer.from(csr).toString("base64") };
}

async function main(): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), "ra-typescript-contract-"));
  try {
    const result = await walk(settings(), folder);
    console.log("typescript contract test: apply, pay, submit CSR, download passed");
    console.log(JSON.stringify(result));
    return 0;
  } catch (e) {
    const reason = errorReason(e);
    console.error(`FAILED: ${reason ? `the RA refused (${reason}): ` : ""}${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// The HTTP/2 sessions would keep Node running for a while after the walk: exit with the verdict.
process.exit(await main());
