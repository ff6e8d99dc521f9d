import XCTest
@testable import AirlockCore

final class SPDXExpressionTests: XCTestCase {
    func testValidExpressions() throws {
        for valid in ["MIT", "Apache-2.0", "mit", "MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause",
                      "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0+", "LicenseRef-acme-proprietary",
                      "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "Apache-2.0 WITH LLVM-exception OR MIT",
                      "((MIT))", "LGPL-2.1-only OR BSD-3-Clause AND MIT"] {
            XCTAssertTrue(SPDXExpression.isValid(valid), valid)
        }
    }

    func testInvalidExpressions() {
        for invalid in ["", "MIT OR", "OR MIT", "MIT AND AND Apache-2.0", "(MIT", "MIT)", "NotALicense",
                        "MIT or Apache-2.0", "MIT WITH NotAnException", "MIT WITH", "LicenseRef-", "LicenseRef-a_b",
                        "MIT Apache-2.0", "MIT/Apache-2.0", "DocumentRef-x:MIT", "()"] {
            XCTAssertFalse(SPDXExpression.isValid(invalid), invalid)
        }
    }

    func testStructureAndCanonicalIds() throws {
        let expression = try SPDXExpression("mit OR apache-2.0 AND (bsd-3-clause WITH classpath-exception-2.0)")
        XCTAssertEqual(expression.licenseIDs, ["MIT", "Apache-2.0", "BSD-3-Clause"])
        XCTAssertEqual(expression.root, .or([
            .license(id: "MIT", orLater: false),
            .and([.license(id: "Apache-2.0", orLater: false),
                  .with(.license(id: "BSD-3-Clause", orLater: false), exception: "Classpath-exception-2.0")]),
        ]))
        XCTAssertEqual(try SPDXExpression("GPL-2.0 OR MIT").deprecatedIDs, ["GPL-2.0"])
    }

    func testErrorsSayWhere() {
        XCTAssertThrowsError(try SPDXExpression("MIT OR Foo-1.0")) { error in
            let syntax = error as? SPDXExpression.SyntaxError
            XCTAssertEqual(syntax?.offset, 7)
            XCTAssertTrue(syntax?.message.contains("Foo-1.0") == true)
        }
    }
}
