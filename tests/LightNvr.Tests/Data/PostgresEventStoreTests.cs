using LightNvr.Data;

namespace LightNvr.Tests.Data;

/// <summary>Every test of <see cref="EventStoreTests"/> against PostgreSQL (issue 19: one store layer, both engines).</summary>
public sealed class PostgresEventStoreTests : EventStoreTests
{
    protected override DatabaseEngine Engine => DatabaseEngine.Postgresql;
}
