# SPDX-License-Identifier: GPL-2.0-only
# image.mk - `make image`: the enforcer container image, built offline from
# what `make all` built (enforcer/image/enforcer-rootfs.sh) and packed as an
# OCI image layout archive (enforcer/image/oci-layout.sh) into
# $(BUILD)/enforcer-image.tar.  Load it on a node with
#     ctr -n k8s.io image import build/enforcer-image.tar
# IMAGE names it (default: the image kubernetes/daemonset.yaml runs).

IMAGE       ?= localhost/enforcer:0.1.0
IMAGE_TAR   := $(BUILD)/enforcer-image.tar

.PHONY: image
image: $(IMAGE_TAR)

$(IMAGE_TAR): $(BUILD)/enforcerd $(BUILD)/enforcerctl $(BUILD)/enforcer-oci-hook \
	      kubernetes/crio-hook.json enforcer/image/enforcer-rootfs.sh enforcer/image/oci-layout.sh
	$(call msg,IMAGE,$@ $(IMAGE))
	$(Q)sh enforcer/image/enforcer-rootfs.sh $(BUILD) $(BUILD)/image-root
	$(Q)sh enforcer/image/oci-layout.sh $@ $(IMAGE) $(BUILD)/image-root \
		--entrypoint /usr/local/sbin/enforcerd
