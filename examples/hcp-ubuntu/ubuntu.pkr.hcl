# The golden Ubuntu image, published by the platform team.
data "hcp-packer-image" "ubuntu" {
  bucket_name    = "ubuntu-base"
  channel        = "production"
  cloud_provider = "aws"
  region         = var.region
}

source "amazon-ebs" "web" {
  region        = var.region
  instance_type = var.instance_type
  source_ami    = data.hcp-packer-image.ubuntu.id
  ssh_username  = "ubuntu"
  ami_name      = "web-server-${local.stamp}"

  tags = {
    Name = "web-server"
    Role = "web"
  }
}

build {
  sources = ["source.amazon-ebs.web"]

  hcp_packer_registry {
    bucket_name = var.bucket_name
    description = "nginx web server on the golden Ubuntu image"

    bucket_label = {
      "team" = "web"
      "os"   = "ubuntu"
    }

    build_labels = {
      "build-time" = timestamp()
    }
  }

  provisioner "shell" {
    inline = [
      "sudo apt-get update",
      "sudo DEBIAN_FRONTEND=noninteractive apt-get -y install nginx",
      "sudo systemctl enable nginx",
    ]
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
