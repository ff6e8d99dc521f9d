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
}
