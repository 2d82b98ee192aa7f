using System.Data.Common;

namespace LightNvr.Data;

/// <summary>Reads columns by name with NULL mapped to a default, so stores read old rows with missing values safely.</summary>
public readonly struct RowReader(DbDataReader reader)
{
    public string Text(string column, string fallback = "")
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? fallback : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? fallback;
    }

    public string? NullableText(string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetString(i);
    }

    public long Long(string column, long fallback = 0)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? fallback : reader.GetInt64(i);
    }

    public long? NullableLong(string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetInt64(i);
    }

    public int Int(string column, int fallback = 0) => (int)Math.Clamp(Long(column, fallback), int.MinValue, int.MaxValue);

    public bool Bool(string column, bool fallback = false) => Long(column, fallback ? 1 : 0) != 0;

    public double Double(string column, double fallback = 0)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? fallback : reader.GetDouble(i);
    }

    public double? NullableDouble(string column)
    {
        var i = reader.GetOrdinal(column);
        return reader.IsDBNull(i) ? null : reader.GetDouble(i);
    }
}
