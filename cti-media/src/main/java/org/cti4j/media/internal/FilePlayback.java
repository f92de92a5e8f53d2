package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays WAV files one after another: one file, a looped one, or a playlist repeated a number of times. The
 * {@link FileOpener} opens each file when its turn comes (a regular file only, off the I/O thread: a FIFO would
 * block it); the I/O thread polls for it, then decodes and resamples it to 8 kHz mono into a ring of about one
 * second, so that the next file is opened while the end of the last one still plays and no gap is heard; the
 * session's worker takes one frame per tick from the ring. A file that cannot be played (missing, not a regular
 * file, not a WAV file, not opened in time) completes the playback with {@code "cannot play <path>: <why>"} once
 * what came before it has played.
 */
public final class FilePlayback extends Playback implements MediaIo.Pumped {

    private static final Logger log = LoggerFactory.getLogger(FilePlayback.class);
    private static final int BLOCK = 1024;

    private final List<String> paths;
    /** How many times the list is played; 0 for over and over (a loop, until stopped). */
    private final int passes;
    private final FileOpener opener;
    private final PcmRing ring = new PcmRing(8192);
    /** Set by the I/O thread after the last samples were written to the ring. */
    private volatile boolean ended;
    /** Set by the I/O thread before {@link #ended}: why a file after the first could not be played. */
    private volatile String failure;

    // I/O thread only
    private int index;
    private int pass;
    /** Samples read in this pass of the list: a looped list of empty files ends instead of spinning. */
    private long samplesThisPass;
    private FileOpener.Pending opening;
    private WavReader reader;
    private Resampler resampler;
    private boolean inputEnded;
    private final short[] input = new short[BLOCK];
    private final short[] output = new short[BLOCK];

    /** Plays the file at {@code path} once, or over and over when {@code loop}. */
    public FilePlayback(String path, boolean loop, FileOpener opener, Listener listener) {
        this(List.of(path), loop ? 0 : 1, opener, listener);
    }

    /**
     * Plays {@code paths} in order, the whole list {@code passes} times, or over and over when {@code passes} is 0.
     */
    public FilePlayback(List<String> paths, int passes, FileOpener opener, Listener listener) {
        super(listener);
        if (paths.isEmpty() || passes < 0) {
            throw new IllegalArgumentException("a playback needs a file and passes >= 0: " + paths + ", " + passes);
        }
        this.paths = List.copyOf(paths);
        this.passes = passes;
        this.opener = opener;
    }

    @Override
    public int nextFrame(short[] frame) {
        boolean done = ended;
        int available = ring.available();
        if (available >= WorkerBuffers.FRAME || (done && available > 0)) {
            ring.readFrame(frame, 0, WorkerBuffers.FRAME, Integer.MAX_VALUE);
            return FRAME;
        }
        if (done) {
            String why = failure;
            if (why != null) {
                // what came before the file that failed has played: now the playback fails
                complete(why);
            }
            return ENDED;
        }
        Arrays.fill(frame, (short) 0);
        return UNDERRUN;
    }

    @Override
    public boolean pump() {
        if (isCompleted()) {
            closeReader();
            return false;
        }
        try {
            fill();
        } catch (IOException | RuntimeException e) {
            String why = "cannot play " + paths.get(index) + ": " + describe(e);
            closeReader();
            if (index == 0 && pass == 0) {
                complete(why);
            } else {
                // the worker completes it with this once what was played before it has been sent
                failure = why;
                ended = true;
            }
            return false;
        }
        if (ended) {
            closeReader();
            return false;
        }
        return true;
    }

    /** Starts opening the current file, or reads its header once it is open; false while it is being opened. */
    private boolean open() throws IOException {
        if (opening == null) {
            opening = opener.openForReading(Paths.get(paths.get(index)));
        }
        FileChannel channel = opening.poll();
        if (channel == null) {
            return false;
        }
        opening = null;
        reader = WavReader.open(channel);
        resampler = reader.sampleRate() != 8000 ? new Resampler(reader.sampleRate(), 8000) : null;
        inputEnded = false;
        log.debug("playing {}: {} Hz, {} channel(s), {} frames", paths.get(index), reader.sampleRate(),
                reader.channels(), reader.frames());
        return true;
    }

    private void fill() throws IOException {
        while (!ended && ring.free() >= BLOCK) {
            if (reader == null && !open()) {
                return;
            }
            if (!inputEnded) {
                int n = reader.read(input, 0, BLOCK);
                if (n < 0) {
                    inputEnded = true;
                } else if (resampler == null) {
                    samplesThisPass += n;
                    ring.write(input, 0, n);
                    continue;
                } else {
                    samplesThisPass += n;
                    resampler.push(input, 0, n);
                }
            }
            if (resampler != null && drain() > 0) {
                continue;
            }
            if (inputEnded) {
                next();
            }
        }
    }

    /** Moves what the resampler has into the ring, as far as it fits; returns how many samples it moved. */
    private int drain() {
        int moved = 0;
        while (true) {
            int room = Math.min(output.length, ring.free());
            if (room == 0) {
                return moved;
            }
            int produced = resampler.pull(output, 0, room, inputEnded);
            if (produced == 0) {
                return moved;
            }
            ring.write(output, 0, produced);
            moved += produced;
        }
    }

    /** The current file is played whole: goes on with the next one, with the list again, or ends. */
    private void next() throws IOException {
        boolean lastOfList = index == paths.size() - 1;
        boolean again = !lastOfList || passes == 0 || pass + 1 < passes;
        if (again && lastOfList && samplesThisPass == 0) {
            // every file of the list is empty: another pass would play nothing, for ever
            again = false;
        }
        if (!again) {
            ended = true;
            return;
        }
        if (lastOfList) {
            pass++;
            samplesThisPass = 0;
        }
        if (paths.size() == 1) {
            // the same file again, from its first sample, without opening it anew
            reader.rewind();
            inputEnded = false;
            if (resampler != null) {
                resampler = new Resampler(reader.sampleRate(), 8000);
            }
            return;
        }
        closeReader();
        index = (index + 1) % paths.size();
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof WavReader.FormatException) {
            return e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private void closeReader() {
        if (opening != null) {
            opening.abandon();
            opening = null;
        }
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                log.debug("closing {} failed", paths.get(index), e);
            }
            reader = null;
        }
    }
}
