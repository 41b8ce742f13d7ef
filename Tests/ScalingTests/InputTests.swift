import CriticalityCore
import Testing
@testable import Scaling

@Suite struct InputTests {
    @Test("CSV with quotes, CRLF line ends, comments and blank lines")
    func parsing() throws {
        let t = try TidyTable(parsing: "# comment\r\nname,depth,rho\r\n\"a, b\",1,0.5\r\n\r\n\"say \"\"hi\"\"\",2,nan\r\n")
        #expect(t.columns == ["name", "depth", "rho"])
        #expect(t.rows == [["a, b", "1", "0.5"], ["say \"hi\"", "2", "nan"]])
        #expect(TidyTable.number("nan") == nil && TidyTable.number("") == nil && TidyTable.number("2.5") == 2.5)
    }

    @Test("empty files, repeated columns and ragged rows are errors")
    func badTables() {
        #expect(throws: InputError.self) { try TidyTable(parsing: "") }
        #expect(throws: InputError.self) { try TidyTable(parsing: "a,b\n") }
        #expect(throws: InputError.self) { try TidyTable(parsing: "a,a\n1,2\n") }
        #expect(throws: InputError.self) { try TidyTable(parsing: "a,b\n1,2,3\n") }
    }

    @Test("runs are told apart by their parameter columns; depths are sorted; missing values skipped")
    func grouping() throws {
        let text = """
            model,p,size,depth,rho,rho_err
            dp,0.64,64,2,0.4,0.01
            dp,0.64,64,1,0.5,0.01
            dp,0.65,64,1,0.6,0.01
            dp,0.65,64,2,nan,0.01
            dp,0.65,64,3,0.55,0.01
            """
        let curves = try CurveSelection().curves(from: TidyTable(parsing: text))
        #expect(curves.count == 2)
        #expect(curves[0].label == "p = 0.64" && curves[0].control == 0.64 && curves[0].size == 64)
        #expect(curves[0].t == [1, 2] && curves[0].y == [0.5, 0.4] && curves[0].error! == [0.01, 0.01])
        #expect(curves[1].t == [1, 3])
    }

    @Test("a depth repeated within a run, a missing column or an empty observable are errors")
    func badRuns() throws {
        let repeated = try TidyTable(parsing: "t,y\n1,0.5\n1,0.4\n")
        #expect(throws: InputError.self) { try CurveSelection(value: "y", depth: "t").curves(from: repeated) }
        #expect(throws: InputError.self) { try CurveSelection(value: "rho").curves(from: repeated) }
        let empty = try TidyTable(parsing: "t,y\n1,nan\n2,\n")
        #expect(throws: InputError.self) { try CurveSelection(value: "y", depth: "t").curves(from: empty) }
    }
}
