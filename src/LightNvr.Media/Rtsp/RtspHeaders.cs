using System.Collections;

namespace LightNvr.Media.Rtsp;

/// <summary>
/// RTSP message headers in wire order, names case-insensitive, a name may repeat (RFC 2326 §4.2, §12).
/// Cameras send e.g. two <c>WWW-Authenticate</c> lines, one per scheme.
/// </summary>
public sealed class RtspHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public int Count => _items.Count;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var item in _items)
            {
                if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return item.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Appends a header, keeping any existing one with the same name.</summary>
    public void Add(string name, string value) => _items.Add(new(name, value));

    /// <summary>Replaces every header named <paramref name="name"/> by one with <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public bool Remove(string name) =>
        _items.RemoveAll(i => string.Equals(i.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public bool Contains(string name) => this[name] is not null;

    /// <summary>Every value of <paramref name="name"/>, in wire order.</summary>
    public IEnumerable<string> GetAll(string name)
    {
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return item.Value;
            }
        }
    }

    internal void AppendToLast(string continuation)
    {
        var last = _items[^1];
        _items[^1] = new(last.Key, last.Value + " " + continuation);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
