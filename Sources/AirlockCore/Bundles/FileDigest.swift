import Crypto

/// SHA-256 of whole files at disk speed: 1 MiB reads, no mapping, no copies beyond the buffer.
public enum FileDigest {
    /// Lowercase hex SHA-256 of the file at `path` (a final symlink is not followed).
    public static func sha256(ofFileAt path: String) throws -> String {
        let source = try FileByteSource(path: path, name: path, hashing: true)
        guard let digest = source.finishDigest() else {
            throw source.failure ?? ArchiveReadError.unreadable(archive: path, message: "read error")
        }
        return digest
    }

    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256(of bytes: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: bytes))
    }

    /// The bytes of a small file (sidecars, signatures, keys, override files, a registry index);
    /// larger than `limit`, or not a regular file (a FIFO would block the run), is an error. Such
    /// a file is no archive: one that cannot be read is an `unreadableFile`.
    public static func readSmallFile(_ path: String, limit: Int) throws(ArchiveReadError) -> [UInt8] {
        do {
            return try readWhole(path, limit: limit)
        } catch .unreadable(let file, let message) {
            throw .unreadableFile(path: file, reason: message)
        }
    }

    private static func readWhole(_ path: String, limit: Int) throws(ArchiveReadError) -> [UInt8] {
        let source = try FileByteSource(path: path, name: path, hashing: false, regularFileOnly: true)
        var bytes: [UInt8] = []
        while let chunk = source.next() {
            bytes.append(contentsOf: chunk)
            if bytes.count > limit {
                throw .limitExceeded(archive: path, limit: .inMemoryFileBytes, allowed: "\(limit) bytes", observed: "more than \(limit) bytes")
            }
        }
        if let failure = source.failure { throw failure }
        return bytes
    }
}
