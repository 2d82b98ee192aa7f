using System.Text;
using LightNvr.Config;

namespace LightNvr.Fuzz.Targets;

/// <summary>
/// lightnvr.ini text. Documented outcomes: <see cref="IniDocument.Parse"/> never throws (bad lines are
/// <see cref="IniLineKind.Invalid"/>); <see cref="ConfigLoader.Bind"/> and the consistency check throw only
/// <see cref="ConfigException"/> naming file and line. Writing keeps every line: the document's text parses to the same
/// lines, and re-setting any entry to its own value reads back that value (or is refused with ConfigException).
/// </summary>
public static class IniTarget
{
    public static void Run(byte[] data)
    {
        var doc = IniDocument.Parse(Encoding.UTF8.GetString(data));
        SameLines(doc, IniDocument.Parse(doc.ToString()), "the document's own text");
        try
        {
            var config = new LightNvrConfig();
            ConfigLoader.Bind(doc, "fuzz.ini", config, []);
            ConfigLoader.CheckConsistency(config, "fuzz.ini");
        }
        catch (ConfigException)
        {
            // The documented outcome for a bad file: the server exits with this message.
        }

        foreach (var entry in doc.Entries.Take(8).ToList())
        {
            try
            {
                doc.Set(entry.Section, entry.Key, entry.Value);
            }
            catch (ConfigException)
            {
                continue; // a value INI cannot hold (needs quotes, has both kinds)
            }

            var back = IniDocument.Parse(doc.ToString()).Find(entry.Section, entry.Key);
            if (back is null || back.Value != entry.Value)
            {
                throw new FuzzInvariantException(
                    $"[{entry.Section}] {entry.Key} = <{entry.Value}> was written and read back as <{back?.Value}>");
            }
        }
    }

    private static void SameLines(IniDocument a, IniDocument b, string what)
    {
        if (a.Lines.Count != b.Lines.Count)
        {
            throw new FuzzInvariantException($"{what}: {a.Lines.Count} lines became {b.Lines.Count}");
        }

        for (var i = 0; i < a.Lines.Count; i++)
        {
            var (x, y) = (a.Lines[i], b.Lines[i]);
            if (x.Kind != y.Kind || x.Section != y.Section || x.Key != y.Key || x.Value != y.Value)
            {
                throw new FuzzInvariantException($"{what}: line {i + 1} <{x.Text}> read back as <{y.Text}>");
            }
        }
    }
}
