using LightNvr.Data;

namespace LightNvr.Tests.Data;

/// <summary>Every test of <see cref="RecordingTagListTests"/> against PostgreSQL (issue 19: one store layer, both engines).</summary>
public sealed class PostgresRecordingTagListTests : RecordingTagListTests
{
    protected override DatabaseEngine Engine => DatabaseEngine.Postgresql;
}
