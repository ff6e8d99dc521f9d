import AirlockCore
import XCTest

final class ImageReferenceTests: XCTestCase {
    func testNormalisationAsTheRuntimeDoes() throws {
        XCTAssertEqual(try ImageReference(parsing: "nginx").normalized, "docker.io/library/nginx:latest")
        XCTAssertEqual(try ImageReference(parsing: "team/app:1.2").normalized, "docker.io/team/app:1.2")
        XCTAssertEqual(try ImageReference(parsing: "registry.local:5000/app:1.0").registry, "registry.local:5000")
        XCTAssertEqual(try ImageReference(parsing: "REGISTRY.LOCAL:5000/app").registry, "registry.local:5000")
        XCTAssertEqual(try ImageReference(parsing: "registry.local/app").registry, "registry.local")
        XCTAssertEqual(try ImageReference(parsing: "localhost/app").registry, "localhost")
        let pinned = try ImageReference(parsing: "quay.io/org/app@sha256:" + String(repeating: "a", count: 64))
        XCTAssertNil(pinned.tag)
        XCTAssertEqual(pinned.digest, "sha256:" + String(repeating: "a", count: 64))
    }

    func testInvalidReferences() {
        for text in ["", "registry.local:5000.evil.com/app", "regіstry.local:5000/app", "app :1", "app\u{7}", "UPPER/App", "app@sha256:123"] {
            XCTAssertThrowsError(try ImageReference(parsing: text), text)
        }
    }

    /// Each part is checked on its own and named in the error.
    func testErrorsNameTheMalformedPart() {
        let reasons = [
            "registry.local:5000/a..b": "malformed repository path component \"a..b\"",
            "[::1]:5000/app": "malformed registry host \"[::1]:5000\"",
            "registry.local:123456/app": "malformed registry host \"registry.local:123456\"",
            "app:": "malformed tag \"\"",
            "app@sha256:abc": "malformed digest \"sha256:abc\"",
            "Registry.Local/App": "malformed repository path component \"App\"",
            "/app": "missing repository",
            "app\u{e9}": "contains whitespace, control or non-ASCII characters (look-alike hosts are refused)",
        ]
        for (text, reason) in reasons {
            XCTAssertThrowsError(try ImageReference(parsing: text), text) { error in
                XCTAssertEqual((error as? ImageReference.ParseError)?.reason, reason, text)
            }
        }
        XCTAssertEqual(try ImageReference(parsing: "Registry.Local:5000/team/app_1.x-y:V1.0_rc-2").normalized, "registry.local:5000/team/app_1.x-y:V1.0_rc-2")
        XCTAssertEqual(try ImageReference(parsing: "index.docker.io/nginx@sha512:" + String(repeating: "0", count: 128)).normalized,
                       "docker.io/library/nginx@sha512:" + String(repeating: "0", count: 128))
    }
}
