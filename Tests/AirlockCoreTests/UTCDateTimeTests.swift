import AirlockCore
import Foundation
import XCTest

final class UTCDateTimeTests: XCTestCase {
    func testCalendarDatesAndTimes() {
        let cases: [(TimeInterval, String)] = [
            (0, "1970-01-01T00:00:00"),
            (-1, "1969-12-31T23:59:59"),
            (0.999, "1970-01-01T00:00:00"),
            (-0.5, "1969-12-31T23:59:59"),
            (951_782_400, "2000-02-29T00:00:00"),
            (1_709_164_799, "2024-02-28T23:59:59"),
            (1_709_251_199, "2024-02-29T23:59:59"),
            (4_102_444_800, "2100-01-01T00:00:00"),
            (-2_208_988_800, "1900-01-01T00:00:00"),
        ]
        for (seconds, expected) in cases {
            XCTAssertEqual(UTCDateTime(Date(timeIntervalSince1970: seconds)).dateTime, expected, "\(seconds)")
        }
        XCTAssertEqual(UTCDateTime(Date(timeIntervalSince1970: 1_709_251_199)).date, "2024-02-29")
    }

    func testDatesOutsideYearsOneToNineThousandNineHundredNinetyNineAreClamped() {
        XCTAssertEqual(UTCDateTime(Date(timeIntervalSince1970: 1e15)).dateTime, "9999-12-31T23:59:59")
        XCTAssertEqual(UTCDateTime(Date(timeIntervalSince1970: -1e15)).dateTime, "0001-01-01T00:00:00")
        XCTAssertEqual(UTCDateTime(.distantFuture).date, "4001-01-01")
    }
}
