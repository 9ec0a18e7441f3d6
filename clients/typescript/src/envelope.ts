// Signs RA payloads into a SignedEnvelope with `openssl cms` (see protos/customs/ra/v1/signed.proto).
//
// The RA verifies the signature over exactly the bytes in `payload` and parses those same bytes, so the payload
// is serialized once here and the signature is made over that one byte string. Partners whose key is on a card
// use their own CMS producer instead of openssl; the envelope is the same.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { RegistrationAuthority } from "../gen/customs/ra/v1/registration_authority_pb.js";
import { RequestHeaderSchema, SignedEnvelopeSchema, type RequestHeader, type SignedEnvelope } from "../gen/customs/ra/v1/signed_pb.js";

/** Where the applicant's signing certificate and its private key are (PEM files). */
export interface Signer {
  certificate: string;
  key: string;
}

/** The full gRPC method name a payload is signed for: SubmitCsrPayload -> /customs.ra.v1.RegistrationAuthority/SubmitCsr. */
export function rpcOf(schema: DescMessage): string {
  const method = schema.name.endsWith("Payload")
    ? RegistrationAuthority.methods.find((m) => m.name === schema.name.slice(0, -"Payload".length))
    : undefined;
  if (method === undefined) throw new Error(`${schema.name} is not the payload of a RegistrationAuthority RPC`);
  return `/${RegistrationAuthority.typeName}/${method.name}`;
}

/** A RequestHeader for a company applicant; a fresh UUID unless the caller retries with its earlier id. */
export function organizationHeader(ubn: string, name: string, requestId: string = randomUUID()): RequestHeader {
  return create(RequestHeaderSchema, {
    requestId,
    applicant: { identity: { case: "organization", value: { ubn, name } } },
  });
}

/**
 * DER detached CMS SignedData over `content`: SHA-256, the signer certificate, signingTime (openssl adds it).
 * -binary keeps openssl from rewriting line ends as it would for S/MIME text; protobuf bytes are not text.
 */
export function detachedCms(content: Uint8Array, signer: Signer): Uint8Array {
  const der = execFileSync("openssl", [
    "cms", "-sign", "-binary", "-md", "sha256", "-nosmimecap",
    "-signer", signer.certificate, "-inkey", signer.key, "-outform", "DER",
  ], { input: content, stdio: ["pipe", "pipe", "pipe"] });
  return new Uint8Array(der);
}

/** Binds the payload to its RPC (header.rpc, unless already set), serializes it once and signs those bytes. */
export function sign<Desc extends DescMessage>(
  schema: Desc, payload: MessageShape<Desc> & { header?: RequestHeader }, signer: Signer): SignedEnvelope {
  if (payload.header !== undefined && payload.header.rpc === "") payload.header.rpc = rpcOf(schema);
  const bytes = toBinary(schema, payload);
  return create(SignedEnvelopeSchema, { payload: bytes, cmsSignature: detachedCms(bytes, signer) });
}
