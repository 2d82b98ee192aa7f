using LightNvr.Data;

namespace LightNvr.Tests.Data;

/// <summary>Every test of <see cref="StoreTests"/> against PostgreSQL (issue 19: one store layer, both engines).</summary>
public sealed class PostgresStoreTests : StoreTests
{
    protected override DatabaseEngine Engine => DatabaseEngine.Postgresql;
}
