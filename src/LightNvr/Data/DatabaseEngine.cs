namespace LightNvr.Data;

/// <summary>Which database a <see cref="Database"/> talks to (<c>[database] type</c>).</summary>
public enum DatabaseEngine
{
    /// <summary>One SQLite file: the embedded default for one box.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several recorder nodes may share (docs/scale.md).</summary>
    Postgresql,
}
