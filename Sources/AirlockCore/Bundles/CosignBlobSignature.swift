import Crypto
import Foundation

/// Checks a `cosign sign-blob` signature: the `.sig` file holds base64 of a DER ECDSA P-256
/// signature over the SHA-256 of the blob; the key is a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
public struct CosignBlobSignature: Sendable {
    /// The outcome, as policies see it (`bundle.signature.status`).
    public enum Status: String, Sendable, Hashable, Codable {
        case verified
        /// Present but not valid for this blob and key, or not decodable.
        case invalid
        /// No signature file.
        case missing
    }

    /// A verdict with the reason when it is not `verified`.
    public struct Result: Sendable, Hashable {
        public var status: Status
        public var detail: String
    }

    /// The key as X9.63 bytes (kept as data so the value is `Sendable`).
    private let keyBytes: Data

    /// Parses a PEM public key; a key that is not P-256 SubjectPublicKeyInfo is an error.
    public init(publicKeyPEM: String) throws {
        keyBytes = try P256.Signing.PublicKey(pemRepresentation: publicKeyPEM).x963Representation
    }

    public init(publicKey: P256.Signing.PublicKey) {
        keyBytes = publicKey.x963Representation
    }

    /// Verifies signature-file text against the blob's SHA-256 digest (hash once, verify here).
    public func verify<D: Digest>(signatureText: String?, blobDigest: D) -> Result {
        guard let signatureText else { return Result(status: .missing, detail: "no signature file") }
        let compact = signatureText.filter { !$0.isWhitespace }
        guard !compact.isEmpty else { return Result(status: .invalid, detail: "signature file is empty") }
        guard let der = Data(base64Encoded: compact) else {
            return Result(status: .invalid, detail: "signature is not base64")
        }
        let signature: P256.Signing.ECDSASignature
        do {
            signature = try P256.Signing.ECDSASignature(derRepresentation: der)
        } catch {
            return Result(status: .invalid, detail: "signature is not a DER ECDSA signature")
        }
        guard let publicKey = try? P256.Signing.PublicKey(x963Representation: keyBytes) else {
            return Result(status: .invalid, detail: "public key unusable")
        }
        guard publicKey.isValidSignature(signature, for: blobDigest) else {
            return Result(status: .invalid, detail: "signature does not match the blob and key")
        }
        return Result(status: .verified, detail: "signature verified")
    }

    /// Verifies against blob bytes held in memory.
    public func verify(signatureText: String?, blob: [UInt8]) -> Result {
        verify(signatureText: signatureText, blobDigest: SHA256.hash(data: blob))
    }

    /// Verifies against a lowercase hex SHA-256 already computed while streaming the blob.
    public func verify(signatureText: String?, blobSHA256Hex: String) -> Result {
        guard let digest = Self.digest(fromHex: blobSHA256Hex) else {
            return Result(status: .invalid, detail: "blob digest unavailable")
        }
        return verify(signatureText: signatureText, blobDigest: digest)
    }

    static func digest(fromHex hex: String) -> HexSHA256Digest? {
        HexSHA256Digest(hex: hex)
    }
}
