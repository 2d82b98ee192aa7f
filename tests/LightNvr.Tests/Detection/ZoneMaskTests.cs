using LightNvr.Data;
using LightNvr.Detection;

namespace LightNvr.Tests.Detection;

/// <summary>Zone rasterisation as row runs: the same pixels as testing every pixel centre, in row order.</summary>
public sealed class ZoneMaskTests
{
    [Fact]
    public void A_concave_zone_is_the_pixels_whose_centres_are_inside_with_two_runs_on_the_rows_of_its_notch()
    {
        // A "U": the notch between x 0.4 and 0.6 from y 0 to 0.5 is outside.
        var zone = new DetectionZone
        {
            Id = "u", StreamName = "cam", Name = "u", Enabled = true,
            Polygon = [new(0.1, 0), new(0.4, 0), new(0.4, 0.5), new(0.6, 0.5), new(0.6, 0), new(0.9, 0), new(0.9, 0.9), new(0.1, 0.9)],
        };
        const int width = 64, height = 36;
        var mask = ZoneMask.Rasterise(zone, width, height);

        var expected = new HashSet<(int, int)>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (Polygons.Contains(zone.Polygon, (x + 0.5) / width, (y + 0.5) / height))
                {
                    expected.Add((x, y));
                }
            }
        }
        var actual = mask.Runs.SelectMany(r => Enumerable.Range(r.X, r.Length).Select(x => (x, r.Y))).ToList();
        Assert.Equal(expected.Count, actual.Count); // no pixel twice
        Assert.True(expected.SetEquals(actual));
        Assert.Equal(expected.Count, mask.Area);
        Assert.Equal(mask.Runs.OrderBy(r => r.Y).ThenBy(r => r.X), mask.Runs);
        Assert.Equal(2, mask.Runs.Count(r => r.Y == 5)); // a row through the notch
        Assert.Single(mask.Runs, r => r.Y == 25);        // a row below it
    }

    [Fact]
    public void The_whole_frame_is_one_run_per_row()
    {
        var mask = ZoneMask.WholeFrame(32, 18);
        Assert.Equal(18, mask.Runs.Length);
        Assert.All(mask.Runs, r => Assert.Equal((0, 32), (r.X, r.Length)));
        Assert.Equal(32 * 18, mask.Area);
    }
}
