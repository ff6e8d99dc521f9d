/// Recognises archives and compressed files by their first bytes, so that a bundle or package
/// given where manifests are expected is named for what it is rather than as "binary".
enum ArchiveMagic {
    /// The format of `bytes` (`gzip`, `zstd`, `xz`, `bzip2`, `zip`, `tar`), or nil.
    static func format(of bytes: [UInt8]) -> String? {
        let signatures: [(format: String, offset: Int, magic: [UInt8])] = [
            ("gzip", 0, [0x1F, 0x8B]),
            ("zstd", 0, [0x28, 0xB5, 0x2F, 0xFD]),
            ("xz", 0, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
            ("bzip2", 0, Array("BZh".utf8)),
            ("zip", 0, [0x50, 0x4B, 0x03, 0x04]),
            ("tar", 257, Array("ustar".utf8)),
        ]
        return signatures.first { bytes.dropFirst($0.offset).starts(with: $0.magic) }?.format
    }

    /// `input` as it is, or an error naming its archive format and where archives are checked.
    static func refusingArchives(_ input: (name: String, bytes: [UInt8])) -> Result<(name: String, bytes: [UInt8]), Diagnostic> {
        guard let format = format(of: input.bytes) else { return .success(input) }
        return .failure(Diagnostic(
            kind: .input,
            message: "it is a \(format) archive, not YAML or JSON: check bundles with `airlock bundle verify` or `airlock gate pre-deploy`, packages with `airlock gate pre-publish`",
            location: SourceSpan(file: input.name, line: 1, column: 1)))
    }
}
