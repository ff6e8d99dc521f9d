@testable import AirlockCore
import CEL
import XCTest

/// `addressURL(text)` gives the URL an address value is read as: a JDBC URL without its `jdbc:`
/// and its `;` parameters, a URL as it is, Git's `user@host:path` as `ssh://`, anything else
/// behind `x://`; `addressURLs(text)` one such URL per host the value names.
final class AddressURLTests: XCTestCase {
    static let expected: [(text: String, url: String)] = [
        ("jdbc:postgresql://db.team-b/app", "postgresql://db.team-b/app"),
        ("JDBC:postgresql://db.team-b/app", "postgresql://db.team-b/app"),
        ("JdBc:mysql://db:3306/app", "mysql://db:3306/app"),
        ("jdbc:sqlserver://db.team-b:1433;databaseName=x;user=y", "sqlserver://db.team-b:1433"),
        ("jdbc:sqlserver://db;", "sqlserver://db"),
        ("jdbc:", ""),
        ("jdbc:;x", ""),
        // Oracle thin: EZConnect and host:port:SID, with or without credentials.
        ("jdbc:oracle:thin:@//db.team-b:1521/sales", "oracle://db.team-b:1521/sales"),
        ("JDBC:Oracle:Thin:@//db:1521/sales?x=1", "oracle://db:1521/sales"),
        ("jdbc:oracle:thin:@db:1521:orcl", "oracle://db:1521/orcl"),
        ("jdbc:oracle:thin:scott/tiger@db.team-b:1521:orcl", "oracle://db.team-b:1521/orcl"),
        ("jdbc:oracle:thin:@db:1521/sales", "oracle://db:1521/sales"),
        // A TNS descriptor is not read: without `://` a JDBC URL loses only its prefix.
        ("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db)))", "oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db)))"),
        ("jdbc:oracle:oci:@db", "oracle:oci:@db"),
        ("jdbc:é;x", "é"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1"),
        ("HTTP://API.EXAMPLE", "HTTP://API.EXAMPLE"),
        ("grpcs://model.team-a.svc:443", "grpcs://model.team-a.svc:443"),
        ("a.b+c-d9://host", "a.b+c-d9://host"),
        ("unix:///run/agent.sock", "unix:///run/agent.sock"),
        // A `;` counts only in a JDBC URL.
        ("https://host/a;b", "https://host/a;b"),
        ("db.team-b:5432", "x://db.team-b:5432"),
        ("inference", "x://inference"),
        ("", "x://"),
        ("jdbc", "x://jdbc"),
        ("jdbcx:foo://h", "x://jdbcx:foo://h"),
        (" jdbc:postgresql://db/app", "x:// jdbc:postgresql://db/app"),
        ("1http://host", "x://1http://host"),
        ("http:/host", "x://http:/host"),
        ("http//host", "x://http//host"),
        ("see http://host", "x://see http://host"),
        ("ünicode://host", "x://ünicode://host"),
        // Git's SSH remotes written without a scheme; a user with a host and port is an address.
        ("git@github.com:argoproj/argocd-example-apps.git", "ssh://git@github.com/argoproj/argocd-example-apps.git"),
        ("git@gitea.local:/srv/fleet.git", "ssh://git@gitea.local//srv/fleet.git"),
        ("git@forge:22x/repo", "ssh://git@forge/22x/repo"),
        ("postgres@db.team-b:5432/app", "x://postgres@db.team-b:5432/app"),
        ("user@db:5432", "x://user@db:5432"),
        ("git@host:", "x://git@host:"),
        ("@host:path", "x://@host:path"),
        ("git@:path", "x://git@:path"),
        ("a/b@host:path", "x://a/b@host:path"),
    ]

    func testURLsOfAddressValues() {
        for (text, url) in Self.expected {
            XCTAssertEqual(AddressURL.url(of: text), url, text)
        }
    }

    /// Which values are written as URLs: a scheme and `://`, after `jdbc:` or not, or an Oracle
    /// thin JDBC URL.
    func testValuesWrittenAsURLs() {
        let urls = ["https://api.openai.com", "jdbc:postgresql://db/app", "JDBC:mysql://db", "jdbc:oracle:thin:@//db:1521/s",
                    "jdbc:oracle:thin:u/p@db:1521:SID", "grpcs://m:443", "jdbc:oracle:thin:@(DESCRIPTION=(HOST=db))",
                    "jdbc:mysql:loadbalance://a,b/db", "jdbc:h2:tcp://localhost/~/t", "h://", "a+b.c-d1://x"]
        let others = ["db:5432", "jdbc:oracle:thin:", "jdbc:oracle:thin:@", "jdbc\u{1A}postgresql://db", "jdbc:h2:mem:t",
                      "jdbc:mysql:1x://a", "jdbc:oracle:oci:@db", "see http://x", "", "http:/x", "(DESCRIPTION=(HOST=db))",
                      "1http://x", "http", "http:", "http:/", "a_b://x"]
        XCTAssertEqual(urls.filter(AddressURL.isWrittenAsURL), urls)
        XCTAssertEqual(others.filter(AddressURL.isWrittenAsURL), [])
    }

    /// The function gives what the policies computed before it existed, in CEL, for each value
    /// but an Oracle thin JDBC URL and a Git SSH remote, which they did not read.
    func testSameAsThePoliciesExpressionItReplaced() throws {
        let environment = CELEnvironment(declaredVariables: ["v"], functions: FactFunctions.all)
        let function = try environment.compile("addressURL(v)")
        let replaced = try environment.compile(
            "v.matches('^[Jj][Dd][Bb][Cc]:') ? v.substring(5).split(';')[0] : v.matches('^[A-Za-z][A-Za-z0-9+.-]*://') ? v : 'x://' + v")
        for (text, url) in Self.expected where !url.hasPrefix("oracle://") && !url.hasPrefix("ssh://") {
            guard case .string(let now) = function.evaluate(["v": .string(text)]),
                  case .string(let before) = replaced.evaluate(["v": .string(text)]) else { return XCTFail("strings for \(text)") }
            XCTAssertEqual(now, before, text)
        }
    }

    /// `addressURLs(text)`: one URL per host of a replica set or failover list, a JDBC
    /// sub-protocol's options dropped, an Oracle TNS descriptor's hosts; any other text as
    /// `addressURL` reads it.
    func testEveryHostOfAnAddressHasItsURL() throws {
        let expected: [(text: String, urls: [String])] = [
            ("mongodb://u:p@a.svc:27017,db.example.com:27017/app?replicaSet=rs0",
             ["mongodb://u:p@a.svc:27017/app?replicaSet=rs0", "mongodb://u:p@db.example.com:27017/app?replicaSet=rs0"]),
            ("postgresql://h1,h2:5433/db", ["postgresql://h1/db", "postgresql://h2:5433/db"]),
            ("mongodb://a,b", ["mongodb://a", "mongodb://b"]),
            ("db1:5432,db2:5432", ["x://db1:5432", "x://db2:5432"]),
            ("jdbc:mysql:loadbalance://a:3306,b.example.org:3306/db?x=1", ["mysql://a:3306/db?x=1", "mysql://b.example.org:3306/db?x=1"]),
            ("JDBC:mysql:replication://a/db;x", ["mysql://a/db"]),
            ("jdbc:mysql://address=(host=a)(port=3306)(type=master),address=(host=b)/db", ["mysql://a:3306/db", "mysql://b/db"]),
            ("jdbc:mysql://[(host=a,port=1),(host=b)]/db", ["mysql://a:1/db", "mysql://b/db"]),
            ("jdbc:mysql://u@a:1,(host=b,port=2)/db", ["mysql://u@a:1/db", "mysql://u@b:2/db"]),
            ("jdbc:h2:tcp://localhost/~/test", ["h2://localhost/~/test"]),
            ("jdbc:h2:mem:test", ["h2:mem:test"]),
            ("jdbc:oracle:thin:scott/tiger@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=a)(PORT=1521))"
                + "(ADDRESS=(PROTOCOL=TCP)(host = b.example.com)(Port=1522)))(CONNECT_DATA=(SERVICE_NAME=s)))",
             ["oracle://a:1521", "oracle://b.example.com:1522"]),
            ("jdbc:oracle:thin:@(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=s)))", []),
            ("jdbc:oracle:thin:@//db:1521/s", ["oracle://db:1521/s"]),
            ("https://host/path,with,commas?a=(b)", ["https://host/path,with,commas?a=(b)"]),
            // A list of URLs, as etcd's --listen-client-urls and the API server's --etcd-servers write it.
            ("https://127.0.0.1:2379,https://192.168.49.2:2379", ["https://127.0.0.1:2379", "https://192.168.49.2:2379"]),
            ("http://a:1/x,mongodb://b,c:2/db,unix:///run/s.sock", ["http://a:1/x", "mongodb://b/db", "mongodb://c:2/db", "unix:///run/s.sock"]),
            ("http://[::1]:80/", ["http://[::1]:80/"]),
            ("git@github.com:org/repo.git", ["ssh://git@github.com/org/repo.git"]),
        ]
        for (text, urls) in expected {
            XCTAssertEqual(AddressURL.urls(of: text), urls, text)
        }
        let program = try CELEnvironment(declaredVariables: [], functions: FactFunctions.all).compile("addressURLs('a,b:1') == ['x://a', 'x://b:1']")
        guard case .bool(true) = program.evaluate([:]) else { return XCTFail("addressURLs in CEL") }
    }

    func testTextOnly() throws {
        for function in ["addressURL", "addressURLs"] {
            let program = try CELEnvironment(declaredVariables: [], functions: FactFunctions.all).compile("\(function)(1)")
            guard case .error(let error) = program.evaluate([:]) else { return XCTFail("an error") }
            XCTAssertEqual(error.message, "\(function)(text) takes a string, not a int")
        }
    }
}
