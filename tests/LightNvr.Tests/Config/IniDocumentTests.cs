using LightNvr.Config;

namespace LightNvr.Tests.Config;

public class IniDocumentTests
{
    /// <summary>Named cases: INI text, then the (section, key, value) entries it must yield, or the line number of the first bad line.</summary>
    public static TheoryData<string, string, string[], int?> Cases => new()
    {
        { "key and value", "[web]\nport = 8080\n", ["web|port|8080"], null },
        { "colon separator", "[web]\nport: 8080\n", ["web|port|8080"], null },
        { "no spaces", "[web]\nport=8080\n", ["web|port|8080"], null },
        { "semicolon comment line", "; top\n[web]\n; port = 1\nport = 2\n", ["web|port|2"], null },
        { "hash comment line", "# top\n[web]\n  # indented\nport = 2\n", ["web|port|2"], null },
        { "inline comment after space", "[web]\nport = 8080 ; the port\n", ["web|port|8080"], null },
        { "hash inline comment", "[web]\nroot = /srv/www # built UI\n", ["web|root|/srv/www"], null },
        { "hash inside value kept", "[mqtt]\npassword = pa#ss\n", ["mqtt|password|pa#ss"], null },
        { "double quotes", "[web]\nusername = \"ad min\"\n", ["web|username|ad min"], null },
        { "single quotes keep semicolon", "[mqtt]\npassword = 'a;b # c'\n", ["mqtt|password|a;b # c"], null },
        { "quoted then comment", "[web]\nusername = \"x\" ; note\n", ["web|username|x"], null },
        { "empty value", "[web]\npassword =\n", ["web|password|"], null },
        { "keys and sections lower-cased", "[WEB]\nPort = 1\n", ["web|port|1"], null },
        { "duplicate keys all kept (last wins on lookup)", "[web]\nport = 1\nport = 2\n", ["web|port|1", "web|port|2"], null },
        { "crlf line ends", "[web]\r\nport = 3\r\n", ["web|port|3"], null },
        { "byte order mark", "\uFEFF[web]\nport = 4\n", ["web|port|4"], null },
        { "entry before any section", "port = 5\n", ["|port|5"], null },
        { "missing separator", "[web]\nport 8080\n", [], 2 },
        { "unterminated quote", "[web]\n\nusername = \"admin\n", [], 3 },
        { "text after quote", "[web]\nusername = \"a\" b\n", [], 2 },
        { "unclosed section", "[web\nport = 1\n", ["|port|1"], 1 },
        { "empty section name", "[]\n", [], 1 },
        { "space in key", "[web]\nbind ip = 1.2.3.4\n", [], 2 },
        { "empty key", "[web]\n= 1\n", [], 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses(string name, string text, string[] entries, int? badLine)
    {
        var doc = IniDocument.Parse(text);
        Assert.Equal(entries, doc.Entries.Select(e => $"{e.Section}|{e.Key}|{e.Value}").ToArray());
        Assert.True(badLine == doc.Errors.FirstOrDefault()?.Number, name);
    }

    [Fact]
    public void Find_returns_the_last_duplicate()
    {
        var doc = IniDocument.Parse("[web]\nport = 1\nport = 2\n");
        Assert.Equal("2", doc.Find("web", "port")!.Value);
        Assert.Equal(3, doc.Find("web", "port")!.Number);
    }

    [Fact]
    public void Round_trip_is_byte_exact()
    {
        const string text = "; LightNVR\n[web]\nport = 8080   ; inline\n\n# trailing\n";
        Assert.Equal(text, IniDocument.Parse(text).ToString());
    }

    [Fact]
    public void Set_rewrites_in_place_and_keeps_comments()
    {
        var doc = IniDocument.Parse("; head\n[web]\n; the port\nport = 8080 ; inline note\nbind_ip = 0.0.0.0\n\n[storage]\npath = /x\n");
        doc.Set("web", "port", "9090");
        Assert.Equal("; head\n[web]\n; the port\nport = 9090 ; inline note\nbind_ip = 0.0.0.0\n\n[storage]\npath = /x\n", doc.ToString());
    }

    [Fact]
    public void Set_adds_a_missing_key_after_the_sections_last_entry()
    {
        var doc = IniDocument.Parse("[web]\nport = 1\n\n; storage follows\n[storage]\npath = /x\n");
        doc.Set("web", "root", "/srv/www");
        Assert.Equal("[web]\nport = 1\nroot = /srv/www\n\n; storage follows\n[storage]\npath = /x\n", doc.ToString());
    }

    [Fact]
    public void Set_appends_a_missing_section()
    {
        var doc = IniDocument.Parse("[web]\nport = 1\n");
        doc.Set("mqtt", "password", "a ;b");
        Assert.Equal("[web]\nport = 1\n\n[mqtt]\npassword = \"a ;b\"\n", doc.ToString());
        Assert.Equal("a ;b", IniDocument.Parse(doc.ToString()).Find("mqtt", "password")!.Value);
    }

    [Fact]
    public void Set_rewrites_the_last_of_duplicate_keys()
    {
        var doc = IniDocument.Parse("[web]\nport = 1\nport = 2\n");
        doc.Set("web", "port", "3");
        Assert.Equal("[web]\nport = 1\nport = 3\n", doc.ToString());
    }

    [Fact]
    public void Quoted_value_with_both_quote_kinds_round_trips()
    {
        var doc = IniDocument.Parse("");
        doc.Set("mqtt", "password", "it's \"x\"");
        Assert.Equal("it's \"x\"", IniDocument.Parse(doc.ToString()).Find("mqtt", "password")?.Value);
    }
}
