import Testing
@testable import Campaign

@Suite struct TOMLDocumentTests {
    @Test("the forms sweep specifications use")
    func validDocument() throws {
        let doc = try TOMLDocument(parsing: """
            # a comment line
            name = "scan"            # a trailing comment
            'quoted key' = 'literal \\ string'
            escaped = "tab\\tquote\\" \\u00e9"
            width = [64, 128,
                     1_024,   # comments inside arrays
            ]
            p = { from = 0.6, to = 0.7, steps = 3 }
            small = -1.5e-3
            big = 6.02E23
            count = +42
            negative = -7
            flag = true
            off = false
            nested = [[1, 2], ["a"]]
            empty = []
            """)
        #expect(doc["name"] == .string("scan"))
        #expect(doc["quoted key"]?.string == "literal \\ string")
        #expect(doc["escaped"]?.string == "tab\tquote\" é")
        #expect(doc["width"]?.array?.compactMap(\.int) == [64, 128, 1024])
        #expect(doc["p"]?["steps"]?.int == 3 && doc["p"]?["from"]?.number == 0.6)
        #expect(doc["small"]?.number == -1.5e-3 && doc["big"]?.number == 6.02e23)
        #expect(doc["count"]?.int == 42 && doc["negative"]?.int == -7)
        #expect(doc["flag"]?.bool == true && doc["off"]?.bool == false)
        #expect(doc["nested"]?.array?.count == 2 && doc["empty"]?.array?.isEmpty == true)
        #expect(doc.entries.map(\.key).first == "name")
    }

    @Test("malformed documents are errors with a line number, never a crash", arguments: [
        ("width = [71, 128, 256,}", 1, "found '}'"),          // found by fuzzing: a C++ assertion aborted here
        ("a = 1\na = 2", 2, "twice"),
        ("[table]\na = 1", 1, "tables"),
        ("a.b = 1", 1, "dotted"),
        ("a = \"open", 1, "not closed"),
        ("a = [1, 2", 1, "not closed"),
        ("a = { x = 1,\n y = 2 }", 1, "one line"),
        ("a = 1979-05-27", 1, "dates"),
        ("a = 99999999999999999999", 1, "out of range"),
        ("a = 1.", 1, "not a number"),
        ("a = 0x1f", 1, "decimal"),
        ("a = 1 2", 1, "after a value"),
        ("= 3", 1, "expected a key"),
        ("a = \"\"\"multi\"\"\"", 1, "multi-line"),
        ("a = \"\\q\"", 1, "escape"),
        ("a = tru", 1, "expected a value"),
        ("\n\nb = ", 3, "expected a value"),
        (String(repeating: "a = [", count: 1) + String(repeating: "[", count: 100), 1, "nested"),
    ])
    func malformed(text: String, line: Int, words: String) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("accepted: \(text)")
        } catch let error as TOMLError {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(words), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
