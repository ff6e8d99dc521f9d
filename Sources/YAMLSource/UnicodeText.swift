/// The encodings YAML 1.2 requires a reader to accept (UTF-8, UTF-16 and UTF-32), turned into the
/// UTF-8 both readers parse. A stream in UTF-16 or UTF-32 starts with a byte order mark (as
/// PowerShell and Windows editors write them); it becomes UTF-8 with the mark kept as UTF-8's, so
/// lines and columns count the same characters. UTF-16 or UTF-32 without a mark, whose ASCII
/// characters carry NUL bytes, is named as such rather than as a binary file.
public enum UnicodeText {
    /// `bytes` as UTF-8: unchanged when they are not UTF-16 or UTF-32 with a byte order mark
    /// (invalid UTF-8 is left to the readers, which name the place), else transcoded; an invalid
    /// character is an error at its position.
    public static func utf8(_ bytes: [UInt8], file: String) -> Result<[UInt8], YAMLError> {
        guard let encoding = Encoding(byteOrderMarkOf: bytes) else {
            if let unmarked = Encoding(unmarkedTextOf: bytes) {
                return .failure(YAMLError(
                    file: file, line: 1, column: 1,
                    message: "\(unmarked.name)\(unmarked.bigEndian ? "BE" : "LE") text without a byte order mark: airlock reads UTF-8, and UTF-16 or UTF-32 that start with one"))
            }
            return .success(bytes)
        }
        return encoding.transcode(bytes, file: file)
    }

    /// A UTF-16 or UTF-32 byte order.
    private struct Encoding {
        /// Bytes per code unit: 2 or 4.
        let unitSize: Int
        let bigEndian: Bool

        var name: String { "UTF-\(unitSize * 8)" }

        init?(byteOrderMarkOf bytes: [UInt8]) {
            func starts(with mark: [UInt8]) -> Bool { bytes.count >= mark.count && bytes[..<mark.count].elementsEqual(mark) }
            // UTF-32LE's mark starts with UTF-16LE's: test it first.
            if starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
                (unitSize, bigEndian) = (4, false)
            } else if starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
                (unitSize, bigEndian) = (4, true)
            } else if starts(with: [0xFF, 0xFE]) {
                (unitSize, bigEndian) = (2, false)
            } else if starts(with: [0xFE, 0xFF]) {
                (unitSize, bigEndian) = (2, true)
            } else {
                return nil
            }
        }

        /// The encoding of a stream without a mark that opens with two ASCII text characters in
        /// UTF-32 or UTF-16 (either order), the pattern YAML 1.2 detects encodings by, where a
        /// binary file would have anything else.
        init?(unmarkedTextOf bytes: [UInt8]) {
            func isText(_ byte: UInt8) -> Bool { (0x20..<0x7F).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            for (unitSize, bigEndian) in [(4, false), (4, true), (2, false), (2, true)] where bytes.count >= 2 * unitSize {
                let textOffset = bigEndian ? unitSize - 1 : 0
                let opensWithText = (0..<2 * unitSize).allSatisfy { index in
                    index % unitSize == textOffset ? isText(bytes[index]) : bytes[index] == 0
                }
                if opensWithText {
                    (self.unitSize, self.bigEndian) = (unitSize, bigEndian)
                    return
                }
            }
            return nil
        }

        private func unit(_ bytes: [UInt8], at index: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<unitSize {
                value = value << 8 | UInt32(bytes[bigEndian ? index + offset : index + unitSize - 1 - offset])
            }
            return value
        }

        func transcode(_ bytes: [UInt8], file: String) -> Result<[UInt8], YAMLError> {
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            func failure(_ problem: String) -> Result<[UInt8], YAMLError> {
                let position = output.withUnsafeBufferPointer { SourceText($0).position(ofByte: $0.count) }
                return .failure(YAMLError(file: file, line: position.line, column: position.column, message: "invalid \(name): \(problem)"))
            }
            var index = 0
            while index < bytes.count {
                guard index + unitSize <= bytes.count else { return failure("the text ends inside a character") }
                var value = unit(bytes, at: index)
                index += unitSize
                if unitSize == 2, (0xD800..<0xDC00).contains(value) {
                    let low = index + 2 <= bytes.count ? unit(bytes, at: index) : 0
                    guard (0xDC00..<0xE000).contains(low) else { return failure("a high surrogate without a low one") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 2
                }
                guard let scalar = Unicode.Scalar(value) else {
                    return failure(value < 0x110000 ? "a lone surrogate" : "a character beyond U+10FFFF")
                }
                if let encoded = UTF8.encode(scalar) { output.append(contentsOf: encoded) }
            }
            return .success(output)
        }
    }
}
