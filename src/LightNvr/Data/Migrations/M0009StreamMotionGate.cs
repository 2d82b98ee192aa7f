using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// <c>streams.detection_motion_gate</c> (ours, issue 14): 1 (the default) runs a stream's object detector only on
/// frames with motion since the previous one, as Frigate does to keep CPU detectors affordable; 0 gives upstream's
/// behaviour, a detection every <c>detection_interval</c> whatever moves (docs/detection.md "Objects").
/// </summary>
public sealed class M0009StreamMotionGate : Migration
{
    public override int Version => 9;
    public override string Name => "stream motion gate";

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = await ColumnsAsync(connection, transaction, "main", "streams", cancellationToken).ConfigureAwait(false);
        if (!columns.Contains("detection_motion_gate"))
        {
            await ExecuteAsync(connection, transaction, "ALTER TABLE streams ADD COLUMN detection_motion_gate INTEGER DEFAULT 1;",
                cancellationToken).ConfigureAwait(false);
        }
    }
}
