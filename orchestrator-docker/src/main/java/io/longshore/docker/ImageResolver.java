package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.async.ResultCallback;
import io.longshore.api.ContainerSpec.PullPolicy;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ImageNotFoundException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes sure an image is present according to a {@link PullPolicy}. Thread-safe. */
final class ImageResolver {
    private final DockerClient client;
    private final Duration pullTimeout;

    ImageResolver(DockerClient client, Duration pullTimeout) {
        this.client = client;
        this.pullTimeout = pullTimeout;
    }

    /**
     * Returns once {@code image} is present.
     *
     * @throws ImageNotFoundException when it is absent and may not, or could not, be pulled
     */
    void resolve(String image, PullPolicy policy) {
        if (policy == PullPolicy.ALWAYS) {
            pull(image, "pull policy ALWAYS");
            return;
        }
        if (isPresent(image)) {
            return;
        }
        if (policy == PullPolicy.NEVER) {
            throw new ImageNotFoundException(image, "image '" + image
                    + "' is not present on the Docker engine and the pull policy is NEVER; build or load it first",
                    null);
        }
        pull(image, "pull policy IF_MISSING and the image is not present");
    }

    /**
     * Whether {@code image} is present.
     *
     * @throws ImageNotFoundException when the engine cannot read {@code image} as a reference
     *                                (it answers 400: upper case, a space, two colons): no such
     *                                image can be run or pulled
     */
    boolean isPresent(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (BadRequestException e) {
            throw unreadable(image, e);
        }
    }

    private static ImageNotFoundException unreadable(String image, BadRequestException e) {
        return new ImageNotFoundException(image, "image '" + image + "' is no valid image reference ("
                + e.getMessage() + "); fix the spec's image", e);
    }

    /**
     * {@code image} as one tag to pull. The engine's pull API takes a name with neither tag nor
     * digest as every tag of the repository (what {@code docker pull --all-tags} sends), whereas a
     * container of that name runs {@code :latest}, as {@code docker pull} and {@code docker run}
     * take it; so a bare name is pulled as {@code :latest}.
     */
    static String oneTag(String image) {
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        return image.indexOf('@') >= 0 || lastPart.indexOf(':') >= 0 ? image : image + ":latest";
    }

    /**
     * Pulls {@code image} (one tag: {@link #oneTag}), waiting up to the pull timeout. docker-java's timed
     * {@code awaitCompletion} closes the callback however the wait ends, which closes the pull's
     * stream, so a pull given up on does not run on (ImageResolverTest pins this).
     */
    private void pull(String image, String why) {
        try {
            boolean done = client.pullImageCmd(oneTag(image))
                    .exec(new ResultCallback.Adapter<PullResponseItem>())
                    .awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new ImageNotFoundException(image, "pulling image '" + image + "' (" + why
                        + ") did not finish within " + pullTimeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while pulling image '" + image + "'", e);
        } catch (ImageNotFoundException e) {
            throw e;
        } catch (BadRequestException e) {
            throw unreadable(image, e);
        } catch (RuntimeException e) {
            throw new ImageNotFoundException(image, "image '" + image + "' could not be pulled (" + why + "): "
                    + e.getMessage(), e);
        }
        if (!isPresent(image)) {
            throw new ImageNotFoundException(image, "image '" + image + "' is still absent after a pull (" + why + ")",
                    null);
        }
    }
}
