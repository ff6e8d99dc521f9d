/// Every conformance test skipped for a reason other than needing protobuf messages.
///
/// Protobuf-dependent tests (features proto2, proto3, proto_message, message_literal, any,
/// wrappers, wkt_message, json_struct, enums, unknowns) are skipped by ConformanceTests itself.
enum ConformanceSkipList {
    /// Keyed by "file/section/test"; a section-wide entry uses "file/section/*", a file-wide one "file/*/*".
    static let entries: [String: String] = [
        "parse/bytes_literals/triple_single_quoted_unescaped_punctuation":
            "expected bytes in the JSON contain a backslash absent from the source (textproto `\\?` conversion artefact); the string twin passes",
        "parse/bytes_literals/triple_double_quoted_unescaped_punctuation":
            "expected bytes in the JSON contain a backslash absent from the source (textproto `\\?` conversion artefact); the string twin passes",
        "block_ext/*/*": "cel.block / cel.index is a conformance-only macro library, not offered by airlock",
    ]

    /// Reason a test is skipped, or nil when it must run.
    static func reason(file: String, section: String, test: String, checkOnly: Bool) -> String? {
        if checkOnly {
            return "checkOnly: asserts a type-checker-deduced type; airlock's CEL has no static type checker"
        }
        return entries["\(file)/\(section)/\(test)"] ?? entries["\(file)/\(section)/*"] ?? entries["\(file)/*/*"]
    }
}
