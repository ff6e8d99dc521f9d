import CEL
import Foundation

/// A moment written as a UTC calendar date and time of day, without Foundation's `Calendar` or
/// `DateFormatter`: those load ICU, which added 5.5 MB to every run's resident memory for two
/// strings (today's date and the JUnit timestamp). CEL's timestamp does the calendar arithmetic.
public struct UTCDateTime: Sendable, Equatable {
    /// `2024-01-31T09:05:00Z`, whole seconds.
    private let rfc3339: String

    /// The UTC date and time of `date`, to the second (rounded down), clamped to years 1 to 9999.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let clamped = Int64(min(max(seconds, Double(CELTimestamp.minSeconds)), Double(CELTimestamp.maxSeconds)))
        rfc3339 = CELTimestamp(seconds: clamped)!.formatted
    }

    /// `2024-01-31`.
    public var date: String { String(rfc3339.prefix(10)) }
    /// `2024-01-31T09:05:00`, without a zone designator.
    public var dateTime: String { String(rfc3339.dropLast()) }
}
