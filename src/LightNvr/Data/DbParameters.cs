using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LightNvr.Data;

/// <summary>
/// <c>AddWithValue</c> for the provider-neutral <see cref="DbParameterCollection"/> the stores hold, so one store
/// serves both engines. Names are <c>@name</c>, which SQLite and Npgsql both bind; null becomes DBNull.
/// </summary>
public static class DbParameters
{
    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value) => parameters switch
    {
        SqliteParameterCollection sqlite => sqlite.AddWithValue(name, value ?? DBNull.Value),
        NpgsqlParameterCollection npgsql => npgsql.AddWithValue(name, value ?? DBNull.Value),
        _ => throw new NotSupportedException($"No parameter binding for {parameters.GetType().Name}"),
    };

    /// <summary>A parameter of a fixed type whose value the caller sets per row (a prepared insert loop).</summary>
    public static DbParameter AddTyped(this DbCommand command, string name, DbType type)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
