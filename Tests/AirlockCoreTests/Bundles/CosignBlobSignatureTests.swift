import Crypto
import Foundation
import XCTest
@testable import AirlockCore

final class CosignBlobSignatureTests: XCTestCase {
    private let blob = Array("airgap-bundle-20250101.tar.gz bytes".utf8)

    private func sign(_ blob: [UInt8], with key: P256.Signing.PrivateKey) throws -> String {
        try key.signature(for: blob).derRepresentation.base64EncodedString() + "\n"
    }

    func testVerifiedInvalidMissing() throws {
        let key = P256.Signing.PrivateKey()
        let verifier = try CosignBlobSignature(publicKeyPEM: key.publicKey.pemRepresentation)
        let signature = try sign(blob, with: key)

        XCTAssertEqual(verifier.verify(signatureText: signature, blob: blob).status, .verified)
        XCTAssertEqual(verifier.verify(signatureText: signature, blobSHA256Hex: FileDigest.sha256(of: blob)).status, .verified)
        XCTAssertEqual(verifier.verify(signatureText: signature, blob: blob + [0]).status, .invalid)
        XCTAssertEqual(verifier.verify(signatureText: nil, blob: blob).status, .missing)
        XCTAssertEqual(verifier.verify(signatureText: "!!not base64!!", blob: blob).status, .invalid)
        XCTAssertEqual(verifier.verify(signatureText: "AAAA", blob: blob).status, .invalid)

        let other = try CosignBlobSignature(publicKeyPEM: P256.Signing.PrivateKey().publicKey.pemRepresentation)
        XCTAssertEqual(other.verify(signatureText: signature, blob: blob).status, .invalid)
    }

    func testRejectsAKeyThatIsNotP256() {
        XCTAssertThrowsError(try CosignBlobSignature(publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
    }
}
