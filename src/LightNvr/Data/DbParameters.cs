using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data;

/// <summary>
/// <c>AddWithValue</c> for the provider-neutral <see cref="DbParameterCollection"/> the stores hold, so one store
/// serves both engines. Names are <c>@name</c>, which SQLite and Npgsql both bind; null becomes DBNull.
/// </summary>
public static class DbParameters
{
    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value) =>
        parameters is SqliteParameterCollection sqlite
            ? sqlite.AddWithValue(name, value ?? DBNull.Value)
            : NpgsqlCalls.AddWithValue(parameters, name, value);

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
