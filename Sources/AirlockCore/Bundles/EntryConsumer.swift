import Crypto

/// Reads one entry's bytes once: hashes them, keeps what the plan asked for, and charges them to
/// the budget. Used by both archive and folder reads, and as the source of a nested archive.
final class EntryConsumer {
    private let body: () throws(ArchiveReadError) -> UnsafeRawBufferPointer?
    private let budget: ReadBudget
    private let declaredSize: Int64
    private let path: String
    private var hasher = SHA256()
    private let captureLimit: Int?
    private let wholeRequired: Bool
    private(set) var content: [UInt8]?
    private(set) var truncated = false
    private(set) var bytesRead: Int64 = 0
    private var finished = false

    init(
        path: String, declaredSize: Int64, capture: EntryReadPlan.Capture?, budget: ReadBudget,
        body: @escaping () throws(ArchiveReadError) -> UnsafeRawBufferPointer?
    ) throws(ArchiveReadError) {
        self.path = path
        self.body = body
        self.budget = budget
        self.declaredSize = declaredSize
        switch capture {
        case .none:
            captureLimit = nil
            wholeRequired = false
        case .prefix(let count):
            captureLimit = min(max(0, count), budget.limits.maxInMemoryFileBytes)
            wholeRequired = false
        case .whole:
            captureLimit = budget.limits.maxInMemoryFileBytes
            wholeRequired = true
            if declaredSize > Int64(budget.limits.maxInMemoryFileBytes) {
                throw Self.tooLarge(budget: budget, path: path, size: declaredSize)
            }
        }
        if let captureLimit {
            content = []
            content?.reserveCapacity(Int(min(declaredSize, Int64(captureLimit))))
        }
    }

    private static func tooLarge(budget: ReadBudget, path: String, size: Int64) -> ArchiveReadError {
        .limitExceeded(
            archive: budget.archive + "!" + path, limit: .inMemoryFileBytes,
            allowed: "\(budget.limits.maxInMemoryFileBytes) bytes", observed: "\(size) bytes")
    }

    /// The next chunk of the entry, already hashed and counted.
    func next() throws(ArchiveReadError) -> UnsafeRawBufferPointer? {
        if finished { return nil }
        guard let chunk = try body() else {
            finished = true
            return nil
        }
        let previous = bytesRead
        bytesRead += Int64(chunk.count)
        if bytesRead > declaredSize {
            try budget.addBytes(bytesRead - max(previous, declaredSize))
        }
        try budget.checkRatio()
        hasher.update(bufferPointer: chunk)
        if let captureLimit, let have = content?.count {
            if have < captureLimit {
                let take = min(captureLimit - have, chunk.count)
                content?.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<take]))
                if take < chunk.count { truncated = true }
            } else if chunk.count > 0 {
                truncated = true
            }
            if truncated && wholeRequired { throw Self.tooLarge(budget: budget, path: path, size: bytesRead) }
        }
        return chunk
    }

    /// Reads the rest and returns the hex SHA-256 of all the entry's bytes.
    func finish() throws(ArchiveReadError) -> String {
        while try next() != nil {}
        return Hex.string(hasher.finalize())
    }
}
